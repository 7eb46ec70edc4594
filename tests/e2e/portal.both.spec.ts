import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { portalLinkIn, waitForEmail } from "./mailbox";

test("a debtor opens the link of a reminder email and sees what is owed", async ({ page }) => {
  // The worker sent the J+1 reminder to the demo debtor Nordic Design at start-up (English speaker).
  const mail = await waitForEmail("accounts@nordic-design.test", /Reminder/);
  expect(mail.text).toContain("F-2026-0104");
  expect(mail.text).toContain("F-2026-0105");

  const response = await page.goto(portalLinkIn(mail));
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Atelier Durand");
  await expect(page.getByRole("link", { name: "F-2026-0104" })).toBeVisible();
  await expect(page.getByRole("link", { name: "F-2026-0105" })).toBeVisible();
  // The portal speaks the debtor's language (Nordic Design reads English): €3,100.00 + €455.00.
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText("€3,555.00").first()).toBeVisible();
  await expectAccessible(page);
});

test("a tampered link is refused and offers a fresh link without revealing anything", async ({ page }) => {
  const mail = await waitForEmail("accounts@nordic-design.test", /Reminder/);
  const link = portalLinkIn(mail);
  const tampered = link.slice(0, -3) + (link.endsWith("AAA") ? "BBB" : "AAA");
  const response = await page.goto(tampered);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ce lien n'est pas valide");
  await page.getByRole("button", { name: "M'envoyer un nouveau lien" }).click();
  await expect(page.getByRole("status")).toContainText("Si ce lien vous était destiné");
  await expectAccessible(page);
});

test("the portal is closed without a session", async ({ page }) => {
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/portal\/expired$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Session terminée");
});

test("a cross-site POST is refused", async ({ request }) => {
  const response = await request.post("/language", {
    form: { lang: "en", redirectTo: "/" },
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
});

test("staff sign in and see the inbox; a wrong password keeps the email and says why", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("wrong-password");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page.getByRole("alert")).toHaveText("E-mail ou mot de passe incorrect.");
  await expect(page.getByLabel("Adresse e-mail")).toHaveValue("owner@atelier-durand.test");
  await expectAccessible(page);

  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boîte de réception");
  // Other specs have already worked through the demo items: the sections are what is always there.
  await expect(page.getByRole("heading", { name: /^Propositions d'échéancier/ })).toBeVisible();
  await expectAccessible(page);
});

test("a debtor disputes an invoice with a proof, then promises to pay another; bad input is kept and explained", async ({ page }) => {
  const mail = await waitForEmail("accounts@nordic-design.test", /Reminder/);
  await page.goto(portalLinkIn(mail));
  await page.getByRole("button", { name: /Français/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");

  // Dispute F-2026-0104 (each project runs on a fresh demo database).
  await page.getByRole("link", { name: "F-2026-0104" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facture F-2026-0104");
  {
    await page.getByRole("link", { name: "Contester cette facture" }).click();
    await page.getByLabel("Motif").selectOption("AMOUNT_WRONG");
    await page.getByLabel("Votre message").fill("Court");
    await page.getByRole("button", { name: "Envoyer ma contestation" }).click();
    await expect(page.getByText("Votre message doit faire au moins 10 caractères.")).toBeVisible();
    await expect(page.getByLabel("Votre message")).toHaveValue("Court");
    await expectAccessible(page);

    await page.getByLabel("Votre message").fill("Le montant ne correspond pas au devis signé (2 800 € HT).");
    await page
      .getByLabel("Pièces jointes (facultatif)")
      .setInputFiles({ name: "devis.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% devis signé\n") });
    await page.getByRole("button", { name: "Envoyer ma contestation" }).click();
    await expect(page.getByRole("status")).toContainText("Votre contestation a bien été envoyée");
  }
  await expect(page.getByText("Litige en cours")).toBeVisible();

  // Promise to pay F-2026-0105.
  await page.goto("/portal");
  await page.getByRole("link", { name: "F-2026-0105" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facture F-2026-0105");
  {
    await page.getByRole("link", { name: "Promettre une date de paiement" }).click();
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Date de paiement").fill(inAWeek);
    await page.getByLabel("Montant (€)").fill("9999");
    await page.getByRole("button", { name: "Enregistrer ma promesse" }).click();
    await expect(page.getByText("Le montant ne peut pas dépasser le reste dû.")).toBeVisible();
    await expect(page.getByLabel("Montant (€)")).toHaveValue("9999");
    await page.getByLabel("Montant (€)").fill("455");
    await page.getByRole("button", { name: "Enregistrer ma promesse" }).click();
    await expect(page.getByRole("status")).toContainText("promesse de paiement est enregistrée");
  }
  await expect(page.getByText("Paiement promis")).toBeVisible();
  await expectAccessible(page);
});

test("another debtor's invoice answers 404", async ({ page }) => {
  const mail = await waitForEmail("accounts@nordic-design.test", /Reminder/);
  await page.goto(portalLinkIn(mail));
  const mine = await page.getByRole("link", { name: "F-2026-0104" }).getAttribute("href");
  expect(mine).toMatch(/^\/portal\/invoices\//);
  const response = await page.goto("/portal/invoices/not-an-invoice-of-mine");
  expect(response?.status()).toBe(404);
});
