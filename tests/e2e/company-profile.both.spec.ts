import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/** Issue 12 §4: the company profile in the settings, with and without JavaScript. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("company profile: a wrong SIRET is said next to it and kept; the logo, sender name and time zone are saved", async ({ page }) => {
  await signIn(page);
  await page.goto("/app/settings");
  const form = page.locator("form.settings-form");
  const save = form.getByRole("button", { name: "Enregistrer" });
  await expect(page.getByRole("group", { name: "Profil de l'entreprise" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("SIRET du siège").fill("73282932000018");
  await page.getByLabel("Nom de l'expéditeur des e-mails").fill("Atelier Durand — Comptabilité");
  await page.getByLabel("Fuseau horaire").selectOption("America/Martinique");
  await page.getByLabel("Logo").setInputFiles({ name: "logo.txt", mimeType: "image/png", buffer: Buffer.from("pas une image") });
  await save.click();
  await expect(page.getByText("SIRET invalide (14 chiffres, clé de contrôle)")).toBeVisible();
  await expect(page.getByText("Le logo doit être une image PNG ou JPEG")).toBeVisible();
  await expect(page.getByLabel("SIRET du siège")).toHaveValue("73282932000018");
  await expect(page.getByLabel("Nom de l'expéditeur des e-mails")).toHaveValue("Atelier Durand — Comptabilité");
  await expect(page.getByLabel("Fuseau horaire")).toHaveValue("America/Martinique");
  await expectAccessible(page);

  await page.getByLabel("SIRET du siège").fill("");
  await page.getByLabel("Logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Paramètres enregistrés." })).toBeVisible();
  await page.goto("/app/settings");
  await expect(page.getByLabel("Fuseau horaire")).toHaveValue("America/Martinique");
  await expect(page.getByLabel("Nom de l'expéditeur des e-mails")).toHaveValue("Atelier Durand — Comptabilité");
  const logo = page.getByRole("img", { name: "Logo actuel" });
  await expect(logo).toBeVisible();
  const src = await logo.getAttribute("src");
  const served = await page.request.get(src!);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect(served.headers()["cache-control"]).toMatch(/^public/);

  // Put the demo back as it was (other journeys run on the same data).
  await page.getByLabel("Fuseau horaire").selectOption("Europe/Paris");
  await page.getByLabel("Retirer le logo").check();
  await form.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Paramètres enregistrés." })).toBeVisible();
  await page.goto("/app/settings");
  await expect(page.getByText("Aucun logo pour l'instant.")).toBeVisible();
});
