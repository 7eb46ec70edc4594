import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/**
 * A credit manager rewords the J+15 second reminder of the demo calendar:
 * a bad placeholder is refused next to the field with the text kept, the
 * preview shows the new subject filled, save, then reset brings the default
 * back. With and without JavaScript; the wording is reset at the end so no
 * other journey sees it.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("rewrite a step's subject, preview it, save and reset it to the default", async ({ page }) => {
  // Three axe passes over a long page with two email previews.
  test.slow();
  await signIn(page);
  await page.goto("/app/policies");
  await page.getByRole("link", { name: "Calendrier standard" }).click();
  await page.getByRole("link", { name: "Texte et aperçu de l'e-mail (étape 4)" }).click();
  await expect(page).toHaveURL(/\/app\/wording\/second_reminder\/standard\?policy=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Texte de l'e-mail « Deuxième relance », ton standard");

  const fr = page.getByTestId("wording-fr");
  const subject = fr.getByLabel("Objet", { exact: true });
  const previewSubject = page.getByTestId("preview-subject-fr");
  const defaultSubject = await previewSubject.textContent();
  expect(defaultSubject).toMatch(/^Facture F-EXEMPLE-1 : second rappel — Atelier Durand$/);
  await expect(subject).toHaveValue("Facture {numeros_factures} : second rappel");
  await expect(page.getByTestId("placeholders")).toContainText("{nom_debiteur}");
  await expect(page.getByTestId("placeholders")).toContainText("{debtor_name}");
  await expectAccessible(page, { skipFrames: "iframe.email-snapshot" });

  // An unknown placeholder: refused next to the field, the text kept.
  await subject.fill("Relance {nom_client}");
  await fr.getByRole("button", { name: "Aperçu" }).click();
  await expect(fr.locator(".field-error")).toHaveText("Champ inconnu : {nom_client}. Utilisez un des champs listés plus haut.");
  await expect(page.getByTestId("wording-fr").getByLabel("Objet", { exact: true })).toHaveValue("Relance {nom_client}");
  await expectAccessible(page, { skipFrames: "iframe.email-snapshot" });

  // Preview the new subject, filled as the customer would read it, then save it.
  await page.getByTestId("wording-fr").getByLabel("Objet", { exact: true }).fill("{nom_debiteur}, votre solde de {total_du}");
  await page.getByTestId("wording-fr").getByRole("button", { name: "Aperçu" }).click();
  await expect(previewSubject).toHaveText(/^Client Exemple SARL, votre solde de [\d\u00a0 ,]+€ — Atelier Durand$/);
  await page.getByTestId("wording-fr").getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByTestId("wording-fr").getByRole("status")).toHaveText(
    "Texte enregistré : les prochains e-mails de cette étape l'utilisent.",
  );
  await page.reload();
  await expect(page.getByTestId("wording-fr").getByLabel("Objet", { exact: true })).toHaveValue(
    "{nom_debiteur}, votre solde de {total_du}",
  );
  await expect(previewSubject).toHaveText(/^Client Exemple SARL, votre solde de /);
  // The English version is untouched.
  await expect(page.getByTestId("preview-subject-en")).toHaveText("Invoice INV-SAMPLE-1: second reminder — Atelier Durand");
  await expectAccessible(page, { skipFrames: "iframe.email-snapshot" });

  // Reset: the default text and its preview are back.
  await page.getByTestId("wording-fr").getByRole("button", { name: "Revenir au texte par défaut" }).click();
  await expect(page.getByTestId("wording-fr").getByRole("status")).toHaveText("Texte par défaut rétabli.");
  await expect(previewSubject).toHaveText(defaultSubject!);
  await expect(page.getByTestId("wording-fr").getByLabel("Objet", { exact: true })).toHaveValue(
    "Facture {numeros_factures} : second rappel",
  );
  await expect(page.getByTestId("wording-fr").getByRole("button", { name: "Revenir au texte par défaut" })).toHaveCount(0);
});
