import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/**
 * A credit manager's day on the demo data (fresh database per project):
 * inbox → reject a dispute → log a call with a promise → the debtor's
 * timeline → bulk pause an invoice → KPIs. Works with and without JavaScript.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

test("a credit manager works through the inbox, a debtor's file, the invoice list and the KPIs", async ({ page }) => {
  // The worker ran the start-up tick: reminders sent, call tasks created.
  await waitForEmail("accounts@nordic-design.test", /Reminder/);
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boîte de réception");
  await expect(page.getByRole("navigation", { name: "Espace créancier" }).getByRole("link", { name: "Débiteurs" })).toBeVisible();

  const dispute = page.locator("li.card").filter({ hasText: "F-2026-0112" });
  const call = page.locator("li.card").filter({ hasText: "Garage du Rhône SAS" });
  await expect(async () => {
    await page.reload();
    await expect(call).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(dispute).toContainText("Café des Arts");
  await expect(page.getByRole("heading", { name: /Courriers à envoyer/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /coordonnées à trouver/ })).toBeVisible();
  await expectAccessible(page);

  // Reject the dispute with an explanation: dunning resumes, the debtor is emailed.
  {
    await dispute.getByText("Rejeter la contestation").click();
    await dispute
      .getByLabel("Explication envoyée au client")
      .fill("Les chaises ont été livrées en bon état : le bon de livraison est signé sans réserve.");
    await dispute.getByRole("button", { name: "Rejeter et reprendre les relances" }).click();
    await expect(page.getByRole("status")).toContainText("Contestation rejetée");
    await expect(page.locator("li.card").filter({ hasText: "F-2026-0112" })).toHaveCount(0);
    const mail = await waitForEmail("cafe.arts@example.test", /réponse à votre contestation/);
    expect(mail.text).toContain("bon de livraison est signé sans réserve");
  }

  // Log a call: reached, the customer promises to pay in a week.
  {
    await call.getByText("Noter le résultat de l'appel").click();
    await call.getByLabel("Joint").check();
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await call.getByLabel("Date promise").fill(inAWeek);
    await call.getByLabel("Montant promis (€)").fill("9999");
    await call.getByRole("button", { name: "Enregistrer l'appel" }).click();
    // Too much: refused, explained, input kept.
    await expect(page.getByText("Le montant ne peut pas dépasser le reste dû.")).toBeVisible();
    await expect(call.getByLabel("Montant promis (€)")).toHaveValue("9999");
    await call.getByLabel("Montant promis (€)").fill("2300");
    await call.getByRole("button", { name: "Enregistrer l'appel" }).click();
    await expect(page.getByRole("status")).toContainText("promesse de paiement");
  }

  // The debtor's file: invoice paused by the promise, the call in the timeline.
  await page.getByRole("link", { name: "Débiteurs" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Débiteurs");
  await page.getByLabel("Nom, e-mail ou référence").fill("Garage");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Garage du Rhône SAS" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Garage du Rhône SAS");
  await expect(page.getByRole("row").filter({ hasText: "F-2026-0103" })).toContainText("Suspendues : promesse de paiement");
  const timeline = page.getByRole("region", { name: "Historique des échanges" });
  await expect(timeline.getByRole("listitem").filter({ hasText: "Appel : client joint" })).toContainText("par votre équipe");
  await expectAccessible(page);

  // The disputed invoice's debtor: dunning active again, the answer email viewable in the timeline.
  await page.goto("/app/debtors");
  await page.getByRole("link", { name: "Café des Arts" }).click();
  await expect(page.getByRole("row").filter({ hasText: "F-2026-0112" })).toContainText("Relances actives");
  const answer = page
    .getByRole("region", { name: "Historique des échanges" })
    .getByRole("listitem")
    .filter({ hasText: "réponse à votre contestation" });
  await answer.getByText("Voir l'e-mail envoyé").click();
  await expect(answer.locator("iframe")).toBeVisible();

  // Invoices: filter by number, tick, pause with a reason (a plain form post).
  await page.getByRole("link", { name: "Factures", exact: true }).click();
  await page.getByLabel("N° de facture ou débiteur").fill("F-2026-0101");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page.getByRole("table")).toContainText("Boulangerie Martin SARL");
  await page.getByLabel("Sélectionner la facture F-2026-0101").check();
  await page.getByLabel("Action", { exact: true }).selectOption("pause");
  await page.getByLabel("Motif (inscrit dans l'historique)").fill("Client en discussion avec le commercial");
  await page.getByRole("button", { name: "Appliquer" }).click();
  await expect(page.getByRole("status")).toHaveText("Relances suspendues sur 1 facture(s).");
  await expect(page.getByRole("row").filter({ hasText: "F-2026-0101" })).toContainText("pause manuelle");
  await expectAccessible(page);

  // KPIs: charts with their data tables.
  await page.getByRole("link", { name: "Indicateurs" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indicateurs");
  await expect(page.getByRole("img", { name: /Encours par ancienneté de retard/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Encaissements des 12 dernières semaines/ })).toBeVisible();
  await expect(page.getByText(/encours ÷ facturation des 90 derniers jours/)).toBeVisible();
  await expectAccessible(page);
});

test("without a staff session the back-office sends to the login page", async ({ page }) => {
  await page.goto("/app/kpis");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fapp%2Fkpis$/);
});
