import { expect, test, type Page } from "@playwright/test";
import { toCreditorReference } from "../../app/domain/payments/reference";
import { camt053 } from "../../app/services/bank/test-support";
import { expectAccessible } from "./axe";

/**
 * Cash application on the demo data: staff upload the bank's camt.053; the
 * transfer with Garage du Rhône's RF reference (C-1002, F-2026-0103,
 * 2 300,00 €) pays its invoice at once; a transfer from an unknown payer naming
 * Studio Ocre's invoice (C-1010, F-2026-0113) for more than is due waits in
 * the inbox until staff confirm it. Debtors used by no other journey. Works with and without JavaScript.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("a statement upload pays the invoice its reference names; an uncertain transfer waits in the inbox and one click confirms it", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  const today = new Date().toISOString().slice(0, 10);
  const statement = camt053(
    [
      {
        ref: "E2E-EXACT",
        amount: 2300_00,
        payer: "GARAGE DU RHONE SAS",
        iban: "FR7630004000031234567890143",
        rf: toCreditorReference("ATDC-1002"),
        date: today,
      },
      { ref: "E2E-WAIT", amount: 3700_00, payer: "M. ET MME OCRE-DUVAL", text: "REGLEMENT FACTURE F-2026-0113", date: today },
    ],
    { statementDate: today },
  );
  await page.goto("/app/bank");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Banque");
  await expectAccessible(page);
  await page
    .getByLabel("Fichier de relevé")
    .setInputFiles({ name: "releve.xml", mimeType: "application/xml", buffer: Buffer.from(statement) });
  await page.getByRole("button", { name: "Importer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "opérations lues" })).toContainText(
    "2 opérations lues, 2 nouvelles : 1 lettrées, 1 à vérifier",
  );
  await expectAccessible(page);

  // The exact reference paid F-2026-0103: the debtor's file shows it paid, and so does the portal.
  await page.goto("/app/debtors");
  await page.getByLabel("Nom, e-mail ou référence").fill("Rhône");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Garage du Rhône SAS" }).click();
  const row = page.getByRole("row").filter({ hasText: "F-2026-0103" });
  await expect(row).toContainText("Payée");
  await expect(row).toContainText("0,00");
  await page.goto("/dev/portal-link/C-1002");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByText("Vous n'avez aucune facture à régler. Merci !")).toBeVisible();

  // The uncertain one waits in the inbox (the staff session is still open) with its suggestion and the reasons in words.
  await page.goto("/app");
  const waiting = page.locator("li.card").filter({ hasText: "M. ET MME OCRE-DUVAL" });
  await expect(waiting).toContainText("Studio Ocre");
  await expect(waiting).toContainText("numéro de facture F-2026-0113 dans le libellé");
  await expect(waiting).toContainText(/trop-perçu de 100,00/);
  await expect(page.getByRole("link", { name: "Voir les 1 opérations sur la page Banque" })).toBeVisible();
  await waiting.getByRole("button", { name: /^Confirmer 3.700,00.€ pour Studio Ocre$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Virement lettré" })).toBeVisible();
  await expect(page.locator("li.card").filter({ hasText: "M. ET MME OCRE-DUVAL" })).toHaveCount(0);
  await expectAccessible(page);
});

/**
 * Maison Bertin (C-1016): one transfer naming F-2026-1061 and F-2026-1062
 * pays both at once (a lump payment); a deposit from a payer the matcher
 * cannot place waits, and staff pick the invoice it pays, with its amount,
 * on the transfer's page: a plain form, an error next to the field first.
 */
test("a lump transfer settles two invoices of one debtor; staff pick the invoice a deposit pays", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const today = new Date().toISOString().slice(0, 10);
  const statement = camt053(
    [
      { ref: "E2E-LUMP", amount: 2100_00, payer: "MAISON BERTIN", text: "REGLEMENT FACT F-2026-1061 ET F-2026-1062", date: today },
      { ref: "E2E-DEPOSIT", amount: 300_00, payer: "SCI LES TILLEULS", text: "ACOMPTE", date: today },
    ],
    { statementDate: today },
  );
  await page.goto("/app/bank");
  await page
    .getByLabel("Fichier de relevé")
    .setInputFiles({ name: "releve-bertin.xml", mimeType: "application/xml", buffer: Buffer.from(statement) });
  await page.getByRole("button", { name: "Importer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "opérations lues" })).toContainText(
    "2 opérations lues, 2 nouvelles : 1 lettrées",
  );

  // The lump payment: both invoices paid on the debtor's file.
  await page.goto("/app/debtors");
  await page.getByLabel("Nom, e-mail ou référence").fill("Bertin");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Maison Bertin SARL" }).click();
  await expect(page).toHaveURL(/\/app\/debtors\/[^/?]+$/);
  const debtorUrl = page.url();
  for (const number of ["F-2026-1061", "F-2026-1062"])
    await expect(page.getByRole("row").filter({ hasText: number })).toContainText("Payée");
  await expect(page.getByRole("row").filter({ hasText: "F-2026-1063" })).not.toContainText("Payée");

  // The deposit waits; staff pick F-2026-1063 for it.
  await page.goto("/app/bank");
  await page.getByRole("link", { name: /^Choisir d'autres factures ou répartir 300,00.€ reçu de SCI LES TILLEULS$/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rapprocher un virement");
  await expectAccessible(page);
  await page.getByLabel("Rechercher un client").fill("Bertin");
  await page.getByRole("button", { name: "Rechercher", exact: true }).click();
  await page.getByRole("link", { name: "Maison Bertin SARL (C-1016)" }).click();
  const amountFor = (number: string) => page.getByLabel(new RegExp(`^Montant pour ${number} `));
  await amountFor("F-2026-1063").fill("600,00");
  await page.getByRole("button", { name: "Lettrer sur ces factures" }).click();
  await expect(page.getByText("Plus que le reste dû (500,00")).toBeVisible();
  await expect(amountFor("F-2026-1063")).toHaveValue("600,00");
  await expectAccessible(page);
  await amountFor("F-2026-1063").fill("300,00");
  await page.getByRole("button", { name: "Lettrer sur ces factures" }).click();
  await expect(page).toHaveURL(/\/app\/bank\?applied=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Virement lettré selon votre choix." })).toBeVisible();
  await page.goto(debtorUrl);
  const deposit = page.getByRole("row").filter({ hasText: "F-2026-1063" });
  await expect(deposit).toContainText("200,00");
  await expect(deposit).not.toContainText("Payée");
});
