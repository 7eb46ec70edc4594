import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/**
 * Mediation (decision 027): staff hand demo debtor C-1023 (Charpentes Roux, a
 * disputed, stuck case) to the Médiateur des entreprises from its page —
 * dunning pauses, the referral dossier downloads — then record the outcome
 * and dunning resumes. Used by no other journey; it ends what it starts, so
 * both projects run it on the same data. Works with and without JavaScript.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("staff hand a disputed case to the Médiateur des entreprises, download the dossier, then record the outcome", async ({ page }) => {
  // Many steps, each checked with axe, on a machine shared with other runs.
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto("/app/debtors");
  await page.getByLabel("Nom, e-mail ou référence").fill("Charpentes");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Charpentes Roux" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Charpentes Roux");
  const panel = page.getByTestId("mediation-panel");
  await expect(panel).toContainText("Médiateur des entreprises");
  await expectAccessible(page);

  // Without the confirmation: refused next to it, the note and the invoices chosen stay.
  await panel.getByLabel(/F-2026-1123/).uncheck();
  await panel.getByLabel("Objet du différend (repris dans le dossier)").fill("Charpente non conforme aux plans");
  await panel.getByRole("button", { name: "Confier à la médiation" }).click();
  await expect(panel.getByText("Cochez la confirmation pour suspendre les relances.")).toBeVisible();
  await expect(panel.getByLabel("Objet du différend (repris dans le dossier)")).toHaveValue("Charpente non conforme aux plans");
  await expect(panel.getByLabel(/F-2026-1023/)).toBeChecked();
  await expect(panel.getByLabel(/F-2026-1123/)).not.toBeChecked();
  await expectAccessible(page);

  await panel.getByLabel(/Je confirme/).check();
  await panel.getByRole("button", { name: "Confier à la médiation" }).click();
  await expect(panel.getByRole("status")).toContainText("Dossier confié à la médiation");
  await expect(panel).toContainText("Médiation en cours depuis le");
  await expect(panel).toContainText("Factures concernées : F-2026-1023");
  await expect(page.getByRole("row", { name: /F-2026-1023/ })).toContainText("en médiation");
  await expect(page.getByRole("row", { name: /F-2026-1123/ })).not.toContainText("en médiation");

  // The open mediation's dossier comes first; the past ones are listed below it.
  const dossier = panel.getByRole("link", { name: "Télécharger le dossier de saisine (PDF)" }).first();
  const response = await page.request.get((await dossier.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toContain("saisine-mediateur-");
  await expectAccessible(page);

  // The outcome needs a few words; the choice stays when they are missing.
  await panel.getByLabel("Issue").selectOption({ label: "Accord trouvé" });
  await panel.getByRole("button", { name: "Clore la médiation et reprendre les relances" }).click();
  await expect(panel.getByText("Dites en quelques mots ce qui a été convenu ou constaté.")).toBeVisible();
  await expect(panel.getByLabel("Issue")).toHaveValue("AGREEMENT");
  await panel.getByLabel("Ce qui a été convenu ou constaté").fill("Reprise de la charpente, paiement après réception");
  await panel.getByRole("button", { name: "Clore la médiation et reprendre les relances" }).click();
  await expect(panel.getByRole("status")).toContainText("Médiation close");
  await expect(panel).toContainText("Médiations précédentes");
  await expect(panel).toContainText("Reprise de la charpente, paiement après réception");
  await expectAccessible(page);
});
