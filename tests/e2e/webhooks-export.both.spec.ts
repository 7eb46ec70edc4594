import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/** Issue 16 §3 and §5: the webhooks settings and the accounting export, with and without JavaScript. */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("webhooks: an http address and no event are refused next to the fields, the values kept; an https endpoint is added with its secret, then deleted", async ({
  page,
}) => {
  await signIn(page);
  await expect(page.getByRole("link", { name: "Webhooks" })).toHaveAttribute("href", "/app/webhooks");
  await page.goto("/app/webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks sortants" })).toBeVisible();
  await expectAccessible(page);
  const url = `https://erp-${test.info().project.name}-${Date.now()}.example.test/hooks`;
  const create = page.locator("form").filter({ has: page.getByRole("button", { name: "Ajouter l'adresse" }) });
  await create.getByLabel("Adresse (URL https)").fill("http://erp.example.test/hooks");
  await create.getByRole("button", { name: "Ajouter l'adresse" }).click();
  await expect(page.getByText("L'adresse doit commencer par https://")).toBeVisible();
  await expect(page.getByText("Choisissez au moins un événement.")).toBeVisible();
  await expect(create.getByLabel("Adresse (URL https)")).toHaveValue("http://erp.example.test/hooks");
  await expectAccessible(page);

  await create.getByLabel("Adresse (URL https)").fill(url);
  await create.getByLabel("Facture réglée").check();
  await create.getByLabel("Statut e-facture « Encaissée »").check();
  await create.getByRole("button", { name: "Ajouter l'adresse" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Adresse ajoutée." })).toBeVisible();
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: url }) });
  await expect(card.getByText(/^whsec_/)).toBeVisible();
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  await expect(card.getByText("Aucun envoi pour l'instant.")).toBeVisible();
  await expectAccessible(page);
  await card.getByRole("button", { name: "Supprimer l'adresse" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Adresse supprimée." })).toBeVisible();
  await expect(page.getByRole("heading", { name: url })).toHaveCount(0);
});

test("accounting export: a date range, then the CSV and the FEC download", async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole("link", { name: "Export comptable" })).toHaveAttribute("href", "/app/accounting");
  await page.goto("/app/accounting");
  await expect(page.getByRole("heading", { level: 1, name: "Export comptable" })).toBeVisible();
  await expectAccessible(page);
  const year = new Date().getUTCFullYear();
  await page.getByLabel("Du").fill(`${year - 1}-01-01`);
  await page.getByLabel("Au").fill(`${year + 1}-12-31`);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger le CSV" }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^paiements_.*\.csv$/);
  const [fec] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger le FEC" }).click()]);
  expect(fec.suggestedFilename()).toMatch(/^FEC_banque_.*\.txt$/);
  const text = await (await import("node:fs/promises")).readFile((await fec.path())!, "utf8");
  expect(text.split("\r\n")[0]).toBe(
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise",
  );
});
