import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/**
 * Staff accounts on the demo data, with and without JavaScript: the owner
 * invites a colleague, who accepts from the email and lands signed in; the
 * colleague forgets the password and sets a new one with the emailed code.
 * The addresses are unique per project so both projects can share a server.
 * /login and /forgot-password share a 30-a-minute rate limit with the other
 * specs: this one visits them sparingly.
 */
test.describe.configure({ mode: "serial" });

let email = "";

async function signIn(page: Page, address: string, password: string) {
  if (!/\/login$/.test(page.url())) await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(address);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Connexion" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

function pathIn(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)?.[0];
  if (!found) throw new Error(`no ${pattern} in: ${text}`);
  return new URL(found).pathname + new URL(found).search;
}

test("an owner invites a colleague, who accepts from the email and lands signed in", async ({ page }, info) => {
  email = `lea.${info.project.name}.${Date.now().toString(36)}@atelier-durand.test`;
  await signIn(page, "owner@atelier-durand.test", "relance-demo");
  await expect(page).toHaveURL(/\/app$/);
  await page.getByRole("navigation", { name: "Espace créancier" }).getByRole("link", { name: "Équipe" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Équipe");
  await expect(page.getByRole("row").filter({ hasText: "owner@atelier-durand.test" })).toContainText("Propriétaire");
  await expect(page.getByRole("row").filter({ hasText: "agent@atelier-durand.test" })).toContainText("Agent");
  await expectAccessible(page);

  // The only owner cannot step down: the team would have nobody to manage it.
  await page.getByLabel("Rôle de Claire Durand").selectOption({ label: "Agent" });
  await page.getByRole("button", { name: "Changer le rôle — Claire Durand" }).click();
  await expect(page.getByRole("alert")).toHaveText("L'équipe doit garder au moins un propriétaire actif.");
  await expect(page.getByRole("row").filter({ hasText: "owner@atelier-durand.test" })).toContainText("Propriétaire");

  // An address that already has access: refused, explained, input kept.
  await page.getByLabel("Adresse e-mail professionnelle").fill("agent@atelier-durand.test");
  await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await expect(page.getByText("Cette adresse a déjà un accès relance.")).toBeVisible();
  await expect(page.getByLabel("Adresse e-mail professionnelle")).toHaveValue("agent@atelier-durand.test");

  await page.getByLabel("Adresse e-mail professionnelle").fill(email);
  await page.getByLabel("Rôle", { exact: true }).selectOption({ label: "Agent" });
  await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await expect(page.getByRole("status")).toHaveText("Invitation envoyée.");
  const pending = page.getByRole("region", { name: "Invitations en attente" }).getByRole("row").filter({ hasText: email });
  await expect(pending).toContainText("Claire Durand");
  await expect(page.getByRole("region", { name: "Activité récente" })).toContainText(`Invitation envoyée à ${email} (Agent)`);
  await expectAccessible(page);

  const mail = await waitForEmail(email, /vous invite à rejoindre Atelier Durand/);
  const link = pathIn(mail.text, /https?:\/\/[^\s"<>]+\/invitations\/[\w-]+/);

  // Opened in the owner's browser: accepting replaces the owner's session with the colleague's.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rejoindre Atelier Durand");
  await expect(page.getByText(`Votre adresse e-mail : ${email}`)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Votre nom").fill("Léa Martin");
  await page.getByLabel("Choisissez un mot de passe").fill("court");
  await page.getByLabel("Confirmez le nouveau mot de passe").fill("court");
  await page.getByRole("button", { name: "Créer mon accès" }).click();
  await expect(page.getByText("Le mot de passe doit faire au moins 10 caractères.")).toBeVisible();
  await expect(page.getByLabel("Votre nom")).toHaveValue("Léa Martin");
  await page.getByLabel("Choisissez un mot de passe").fill("une phrase pour entrer");
  await page.getByLabel("Confirmez le nouveau mot de passe").fill("une phrase pour entrer");
  await page.getByRole("button", { name: "Créer mon accès" }).click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boîte de réception");
  await expect(page.getByRole("link", { name: /Léa Martin/ })).toBeVisible();

  // An agent sees the team read-only.
  await page.goto("/app/team");
  await expect(page.getByText("Seuls les propriétaires peuvent inviter")).toBeVisible();
  await expect(page.getByRole("button", { name: "Envoyer l'invitation" })).toHaveCount(0);

  // The link served once.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cette invitation n'est plus valable");
});

test("a forgotten password is replaced with the code sent by email", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mot de passe oublié");
  await expectAccessible(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByRole("button", { name: "Recevoir un code" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choisir un nouveau mot de passe");
  await expect(page.getByRole("status")).toContainText(`Si un compte existe pour ${email}, un code vient d'y être envoyé.`);
  await expect(page.getByLabel("Adresse e-mail")).toHaveValue(email);
  await expectAccessible(page);

  const mail = await waitForEmail(email, /nouveau mot de passe/);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  expect(code).toBeDefined();

  // A wrong code: refused without saying whether the account exists; input kept.
  await page.getByLabel("Code reçu par e-mail").fill(code === "000000" ? "111111" : "000000");
  await page.getByLabel("Nouveau mot de passe", { exact: true }).fill("mon nouveau secret");
  await page.getByLabel("Confirmez le nouveau mot de passe").fill("mon nouveau secret");
  await page.getByRole("button", { name: "Enregistrer et me connecter" }).click();
  await expect(page.getByRole("alert")).toHaveText("Ce code est incorrect ou a expiré. Vérifiez-le, ou demandez un nouveau code.");
  await expect(page.getByLabel("Adresse e-mail")).toHaveValue(email);

  await page.getByLabel("Code reçu par e-mail").fill(code!);
  await page.getByLabel("Nouveau mot de passe", { exact: true }).fill("mon nouveau secret");
  await page.getByLabel("Confirmez le nouveau mot de passe").fill("mon nouveau secret");
  await page.getByRole("button", { name: "Enregistrer et me connecter" }).click();
  await expect(page).toHaveURL(/\/app$/);

  // My account: this device is the only session, in English too.
  await page.getByRole("link", { name: /Léa Martin/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mon compte");
  await expect(page.getByRole("table", { name: "Appareils connectés à votre compte" })).toContainText("Cet appareil");
  await expectAccessible(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My account");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Français" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mon compte");

  // The old password no longer works, the new one does.
  await signOut(page);
  await signIn(page, email, "une phrase pour entrer");
  await expect(page.getByText("E-mail ou mot de passe incorrect.")).toBeVisible();
  await signIn(page, email, "mon nouveau secret");
  await expect(page).toHaveURL(/\/app$/);
});
