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
  // 3 100,00 € + 455,00 €
  await expect(page.getByText("3 555,00 €").first()).toBeVisible();
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
  const response = await request.post("/language", { form: { lang: "en", redirectTo: "/" }, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
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
  await expect(page.getByText("Café des Arts")).toBeVisible();
  await expectAccessible(page);
});
