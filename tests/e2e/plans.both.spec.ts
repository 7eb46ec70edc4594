import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { portalLinkIn, waitForEmail } from "./mailbox";

async function openPortal(page: Page, email: string, subject: RegExp) {
  const mail = await waitForEmail(email, subject);
  await page.goto(portalLinkIn(mail));
  await expect(page).toHaveURL(/\/portal$/);
}

test("a plan within the creditor's rules is accepted at once and the schedule is emailed", async ({ page }) => {
  await openPortal(page, "direction@imprimerie-lefevre.test", /second rappel/);
  await page.goto("/portal/plan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Proposer un échéancier");
  {
    await page.getByLabel("Nombre de mensualités").selectOption("3");
    await page.getByRole("button", { name: "Voir l'échéancier" }).click();
    await expect(page.getByRole("heading", { name: "Votre échéancier" })).toBeVisible();
    // 899,00 € in three: 299,67 + 299,67 + 299,66
    await expect(page.getByText("299,67 €").first()).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Proposer cet échéancier" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Échéancier accepté");
    await waitForEmail("direction@imprimerie-lefevre.test", /échéancier est confirmé/);
  }
  await page.goto("/portal");
  await expect(page.getByText("Échéancier").first()).toBeVisible();
});

test("a plan outside the rules waits for staff; staff accept it in the inbox", async ({ page, browser }) => {
  await openPortal(page, "contact@saveurs-co.test", /retard de paiement/i);
  await page.goto("/portal/plan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Proposer un échéancier");
  {
    await page.getByLabel("Nombre de mensualités").selectOption("12");
    await page.getByRole("button", { name: "Proposer cet échéancier" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Proposition envoyée");

    const staff = await browser.newPage({ locale: "fr-FR" });
    await staff.goto("/login");
    await staff.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
    await staff.getByLabel("Mot de passe").fill("relance-demo");
    await staff.getByRole("button", { name: "Connexion" }).click();
    const proposal = staff.getByRole("listitem").filter({ hasText: "Traiteur Saveurs & Co" });
    await expect(proposal).toBeVisible();
    // Rejecting needs a reason: refused without one.
    await proposal.getByRole("button", { name: "Refuser" }).click();
    await proposal.getByRole("button", { name: "Accepter" }).click();
    await expect(staff.getByRole("status")).toContainText("Échéancier accepté");
    await staff.close();
    await waitForEmail("contact@saveurs-co.test", /échéancier est confirmé/);
  }
  await page.goto("/portal");
  await expect(page.getByText("Échéancier").first()).toBeVisible();
});

test("staff counter-propose a schedule; the debtor accepts it in the portal", async ({ page, browser }) => {
  await page.goto("/dev/portal-link/C-1012");
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/plan");
  await page.getByLabel("Nombre de mensualités").selectOption("12");
  await page.getByRole("button", { name: "Proposer cet échéancier" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Proposition envoyée");

  const context = await browser.newContext({ locale: "fr-FR", javaScriptEnabled: test.info().project.name !== "no-js" });
  const staff = await context.newPage();
  await staff.goto("/login");
  await staff.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await staff.getByLabel("Mot de passe").fill("relance-demo");
  await staff.getByRole("button", { name: "Connexion" }).click();
  await staff.getByRole("listitem").filter({ hasText: "Pharmacie Centrale" }).getByRole("link", { name: "Contre-proposer" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText("Contre-proposition");
  await expectAccessible(staff);
  // A reason is required; the values typed are kept.
  await staff.getByLabel("Nombre d'échéances").fill("6");
  await staff.getByRole("button", { name: "Envoyer la contre-proposition" }).click();
  await expect(staff.getByText("Expliquez votre contre-proposition au débiteur.")).toBeVisible();
  await expect(staff.getByLabel("Nombre d'échéances")).toHaveValue("6");
  await staff.getByLabel("Message au débiteur").fill("Six mensualités au plus pour ce montant.");
  await staff.getByRole("button", { name: "Envoyer la contre-proposition" }).click();
  await expect(staff.getByRole("status")).toContainText("Contre-proposition envoyée");
  await context.close();

  await page.goto("/portal");
  await page
    .getByRole("link", { name: /540,00/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Contre-proposition d'Atelier Durand" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Votre proposition" })).toBeVisible();
  await expectAccessible(page);
  await expect(page.getByText("Six mensualités au plus pour ce montant.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "90,00 €" })).toHaveCount(6);
  await page.getByRole("button", { name: "J'accepte cet échéancier" }).click();
  await expect(page.getByText("En cours").first()).toBeVisible();
});
