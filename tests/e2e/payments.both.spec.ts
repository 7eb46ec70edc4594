import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/** Opens a demo debtor's portal (development link issuer, mocks only). */
async function openPortal(page: Page, externalRef: string) {
  await page.goto(`/dev/portal-link/${externalRef}`);
  await expect(page).toHaveURL(/\/portal$/);
}

/** The worker applies webhook events within a second or two: reload until the page says so. */
async function reloadUntil(page: Page, text: string | RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(text).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test("pay one invoice by card: invoice paid, dunning stopped, receipt emailed", async ({ page }) => {
  await openPortal(page, "C-1007");
  await page.getByRole("link", { name: "Payer", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payer");
  await expectAccessible(page);
  // Tampering: more than the balance is refused, the input is kept.
  await page.getByLabel("Montant à payer (€)").fill("9999");
  await page.getByRole("button", { name: /^Payer \d/ }).click();
  await expect(page.getByText("Le montant ne peut pas dépasser le total des factures choisies.")).toBeVisible();
  await expect(page.getByLabel("Montant à payer (€)")).toHaveValue("9999");
  await page.getByLabel("Montant à payer (€)").fill("");
  await page.getByLabel("Carte bancaire").check();
  await page.getByRole("button", { name: /^Payer \d/ }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("Stripe");
  await expect(page.getByText("640,00")).toBeVisible();
  await page.getByRole("button", { name: "Payer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Votre paiement" })).toBeVisible();
  await reloadUntil(page, "votre paiement de 640,00 € est bien reçu");
  await waitForEmail("sophie.bernard@example.test", /Reçu de paiement/);
  await page.getByRole("link", { name: "Retour à mes factures" }).click();
  await expect(page.getByText("Vous n'avez aucune facture à régler. Merci !")).toBeVisible();
});

test("pay two invoices at once by SEPA: processing, then paid when the bank confirms", async ({ page }) => {
  await openPortal(page, "C-1001");
  await page.goto("/portal/pay");
  await expect(page.getByRole("checkbox", { name: /F-2026-0101/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /F-2026-0102/ })).toBeChecked();
  await page.getByLabel("Prélèvement SEPA (quelques jours)").check();
  await page.getByRole("button", { name: /^Payer \d/ }).click();
  await expect(page.getByText("SEPA Direct Debit")).toBeVisible();
  const sandbox = page.url();
  await page.getByRole("button", { name: "Payer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Votre paiement" })).toBeVisible();
  await reloadUntil(page, "en cours de traitement par votre banque");

  await page.goto("/portal");
  await expect(page.getByText("Paiement en cours").first()).toBeVisible();
  await page.goto(sandbox);
  await page.getByRole("button", { name: "La banque confirme le prélèvement" }).click();
  await expect(page.getByRole("status")).toHaveText("Événements envoyés.");
  await page.goto("/portal");
  await reloadUntil(page, "Vous n'avez aucune facture à régler. Merci !");
  await waitForEmail("compta@boulangerie-martin.test", /Reçu de paiement — 2 factures/);
});

test("GoCardless instant bank pay: paid", async ({ page }) => {
  await openPortal(page, "C-1006");
  await page.goto("/portal/pay");
  await page.getByLabel("Paiement depuis ma banque (virement instantané)").check();
  await page.getByRole("button", { name: /^Payer \d/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("GoCardless");
  await page.getByRole("button", { name: "Payer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Votre paiement" })).toBeVisible();
  await reloadUntil(page, "est bien reçu");
  await waitForEmail("gestion@btp-moreau.test", /Reçu de paiement/);
});

test("a plan collected by GoCardless instalment schedule: one installment paid, a failed one defaults the plan and dunning resumes", async ({
  page,
}) => {
  await openPortal(page, "C-1008");
  // James Wilson reads English.
  await page.goto("/portal/plan");
  await page.getByLabel("Number of monthly installments").selectOption("3");
  await page.getByRole("button", { name: "Propose this plan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plan accepted");
  await page.goto("/portal");
  // The home shows the plan's next installment (700.00 in three: 233.34 first), linking to the plan.
  await page.getByRole("link", { name: /233\.34 on/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your payment plan");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Pay automatically by direct debit" }).click();
  await expect(page.getByText("Mandate (SEPA Core)")).toBeVisible();
  await page.getByRole("button", { name: "Authorise the mandate" }).click();
  // Back on the plan: "being registered" until the worker has applied the mandate's events
  // (it is woken by their arrival, so the page may already say the debit is in place).
  await expect(page.getByText(/your direct debit authorisation is being registered|Direct debit in place/).first()).toBeVisible();
  await reloadUntil(page, "Direct debit in place");

  const collect = page.getByRole("button", { name: /^Collect/ });
  await expect(collect).toHaveCount(3);
  await collect.first().click();
  await expect(collect).toHaveCount(2);
  await reloadUntil(page, /^Paid$/);
  await page.getByRole("button", { name: /^Fail/ }).first().click();
  await expect(collect).toHaveCount(1);
  await reloadUntil(page, "Stopped (missed installment)");
  await expect(page.getByRole("cell", { name: "Missed" })).toBeVisible();
  await page.goto("/portal");
  await expect(page.getByText("Stopped (missed installment)")).toBeVisible();
});
