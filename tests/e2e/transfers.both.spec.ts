import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/**
 * A bank transfer seen on the creditor's statement: staff record it on the
 * debtor's file, the invoice is paid, and the debtor finds it in the portal's
 * history. Demo debtor C-1011 (Lucas Petit, F-2026-0114, 250,00 €), used by no
 * other journey. Works with and without JavaScript.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("staff record a transfer that pays an invoice; the debtor sees it in the portal history", async ({ page }) => {
  await signIn(page);
  await page.goto("/app/debtors");
  await page.getByLabel("Nom, e-mail ou référence").fill("Lucas");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Lucas Petit" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lucas Petit");
  await page.getByRole("link", { name: "Enregistrer un virement reçu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enregistrer un virement reçu");
  await expectAccessible(page);

  // Unreadable amount: refused, explained next to the field, what was typed stays.
  await page.getByLabel("Montant reçu (€)").fill("250,001");
  await page.getByLabel("Libellé du virement").fill("VIR SEPA M LUCAS PETIT F-2026-0114");
  await page.getByLabel(/F-2026-0114/).check();
  await page.getByRole("button", { name: "Enregistrer le virement" }).click();
  await expect(page.getByText("Trop de décimales pour cette devise.")).toBeVisible();
  await expect(page.getByLabel("Montant reçu (€)")).toHaveValue("250,001");
  await expect(page.getByLabel("Libellé du virement")).toHaveValue("VIR SEPA M LUCAS PETIT F-2026-0114");
  await expect(page.getByLabel(/F-2026-0114/)).toBeChecked();
  await expectAccessible(page);

  await page.getByLabel("Montant reçu (€)").fill("250,00");
  await page.getByRole("button", { name: "Enregistrer le virement" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lucas Petit");
  const status = page.getByRole("status");
  await expect(status).toContainText("Virement de 250,00 € enregistré.");
  await expect(status).toContainText("F-2026-0114 : 250,00 € imputés — facture soldée");
  await expect(page.getByRole("row").filter({ hasText: "F-2026-0114" })).toContainText("Payée");
  const timeline = page.getByRole("region", { name: "Historique des échanges" });
  await expect(timeline.getByRole("listitem").filter({ hasText: "Virement reçu le" }).first()).toContainText(
    "libellé « VIR SEPA M LUCAS PETIT F-2026-0114 »",
  );
  await expectAccessible(page);
  await waitForEmail("lucas.petit@example.test", /Reçu de paiement/);

  // The debtor: nothing left to pay, and the transfer in the history.
  await page.goto("/dev/portal-link/C-1011");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByText("Vous n'avez aucune facture à régler. Merci !")).toBeVisible();
  await page.getByRole("link", { name: "Historique des paiements" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Historique");
  const payment = page.getByRole("region", { name: "Vos paiements" }).getByRole("row").filter({ hasText: "Virement" });
  await expect(payment).toContainText("250,00");
  await expect(payment).toContainText("Reçu");
  await expect(payment).toContainText("F-2026-0114");
  const invoice = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Facture F-2026-0114" }) });
  await expect(invoice).toContainText("Payée");
  await expect(invoice).toContainText("Virement — 250,00 € — Reçu");
  const pdf = invoice.getByRole("link", { name: "Télécharger la facture F-2026-0114 (PDF)" });
  const response = await page.request.get((await pdf.getAttribute("href"))!);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  await expect(page.getByRole("link", { name: "Télécharger le relevé (PDF)" })).toBeVisible();
  await expectAccessible(page);
});
