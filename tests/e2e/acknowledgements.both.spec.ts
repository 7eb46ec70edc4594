import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/** Opens a demo debtor's portal (development link issuer, mocks only). C-1017 and C-1018 belong to this journey. */
async function openPortal(page: Page, externalRef: string) {
  await page.goto(`/dev/portal-link/${externalRef}`);
  await expect(page).toHaveURL(/\/portal$/);
}

/** The worker applies webhook events within a second or two: reload until the page says so. */
async function reloadUntil(page: Page, text: string | RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(text).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

/** A date as the portal prints it: "8 déc. 2026", "1er déc. 2026". */
const frenchDate = (date: Date) =>
  new Intl.DateTimeFormat("fr-FR", { dateStyle: "medium", timeZone: "UTC" }).format(date).replace(/^1(?=\s)/, "1er");

test("a dispute is acknowledged by email with what happens next; the invoice PDF is named after its number", async ({ page }) => {
  await openPortal(page, "C-1017");
  await page.getByRole("link", { name: "F-2026-0317" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facture F-2026-0317");
  const pdf = await page.request.get(
    await page.getByRole("link", { name: "Télécharger la facture (PDF)" }).getAttribute("href").then(String),
  );
  expect(pdf.headers()["content-disposition"]).toContain('filename="facture-F-2026-0317.pdf"');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  await page.getByRole("link", { name: "Contester cette facture" }).click();
  await page.getByLabel("Motif").selectOption({ label: "Montant erroné" });
  await page.getByLabel("Votre message").fill("La livraison était comprise dans le devis signé.");
  await page.getByRole("button", { name: "Envoyer ma contestation" }).click();
  await expect(page.getByRole("status")).toContainText("un accusé de réception vous a été envoyé par e-mail");
  await expectAccessible(page);

  const mail = await waitForEmail("compta@menuiserie-roux.test", /votre contestation est enregistrée/);
  expect(mail.text).toContain("Les relances de la facture F-2026-0317 sont suspendues dès aujourd'hui, jusqu'à notre réponse");
  expect(mail.text).toContain("La livraison était comprise dans le devis signé.");
  // The creditor's legal identity and a tappable phone in the footer.
  expect(mail.text).toContain("SIREN 732829320");
  expect(mail.html).toContain('href="tel:+33472000000"');

  await page.goto("/dev/mailbox?to=compta@menuiserie-roux.test");
  await expect(page.getByText("Facture F-2026-0317\u00a0: votre contestation est enregistrée — Atelier Durand").first()).toBeVisible();
});

test("a card payment's confirmation shows the method, the date and our reference, and its receipt PDF downloads", async ({ page }) => {
  await openPortal(page, "C-1017");
  await page.getByRole("button", { name: "Payer 480,00 € (facture F-2026-0318)" }).click();
  await page.getByLabel("Carte bancaire").check();
  await page.getByRole("button", { name: "Payer 480,00 €" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Stripe");
  await page.getByRole("button", { name: "Payer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Votre paiement" })).toBeVisible();
  await reloadUntil(page, "votre paiement de 480,00 € est bien reçu");

  const reference = (await page.getByRole("definition").filter({ hasText: /^PAY-/ }).textContent())!.trim();
  expect(reference).toMatch(/^PAY-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(page.getByText("Carte bancaire").first()).toBeVisible();
  await expect(page.getByText(frenchDate(new Date())).first()).toBeVisible();
  await expect(page.getByText(/pi_/)).toHaveCount(0);
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Télécharger le reçu (PDF)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`recu-${reference}.pdf`);
  expect(
    fs
      .readFileSync((await download.path())!)
      .subarray(0, 5)
      .toString(),
  ).toBe("%PDF-");

  const mail = await waitForEmail("compta@menuiserie-roux.test", /Reçu de paiement/);
  expect(mail.text).toMatch(new RegExp(`Référence\\s+${reference}`));
  expect(mail.text).toMatch(/Moyen de paiement\s+Carte bancaire/);
  expect(mail.text).not.toContain("pi_");
});

test("the plan accepted page says how the first installment is paid and offers the mandate there", async ({ page }) => {
  await openPortal(page, "C-1018");
  await page.goto("/portal/plan");
  await page.getByLabel("Nombre de mensualités").selectOption("3");
  await page.getByRole("button", { name: "Proposer cet échéancier" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Échéancier accepté");
  const first = frenchDate(new Date(Date.now() + 7 * 86_400_000));
  await expect(page.getByText(`Première échéance : 300,00 € à régler le ${first}.`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Payer 300,00 € maintenant" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Payer automatiquement par prélèvement" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Voir le calendrier complet (3 échéance(s))" })).toBeVisible();
  await expectAccessible(page);
});
