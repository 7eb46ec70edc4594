import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/**
 * A credit manager moves the demo calendar's J+15 reminder to J+20: the
 * 30-day simulation shows Menuiserie Garnier's reminder (C-1013, J+1 sent,
 * J+15 next) five days later, saving reschedules that open invoice (read
 * back through the API), and the calendar is put back at the end so no other
 * journey sees the change. With and without JavaScript.
 */
const DEBTOR = "Menuiserie Garnier SARL";
const INVOICE = "F-2026-1013";

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

/** A key made on the settings page, as a customer's software would, to read the invoice's schedule. */
async function apiKey(page: Page) {
  await page.goto("/app/settings");
  await page.getByPlaceholder("Nom de la clé").fill("Journée calendrier");
  await page.getByRole("button", { name: "Créer une clé" }).click();
  return (await page.locator("code.api-key").textContent())!.trim();
}

type InvoiceView = { dueDate: string; dunning: { level: number; nextActionAt: string | null } };
const dayAfter = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
/** The simulation table's date cell, as the page writes it. */
const shown = (d: Date) => d.toLocaleDateString("fr", { timeZone: "UTC" });

async function setOffsets(page: Page, offsets: { step4: number; step5: number }) {
  await page.getByTestId("level-3").getByLabel("Jour (J-8 = -8)").fill(String(offsets.step4));
  await page.getByTestId("level-4").getByLabel("Jour (J-8 = -8)").fill(String(offsets.step5));
}

test("J+15 → J+20: the simulation shows the reminder five days later, saving reschedules the open invoice", async ({ page }) => {
  test.slow();
  await signIn(page);
  const key = await apiKey(page);
  const readInvoice = async (): Promise<InvoiceView> => {
    const res = await page.request.get(`/api/v1/invoices/${INVOICE}`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(200);
    return res.json();
  };
  // The start-up tick sends the J+1 reminder; from then on the J+15 one is next.
  await expect.poll(async () => (await readInvoice()).dunning.level, { timeout: 20_000 }).toBe(2);
  const { dueDate, dunning } = await readInvoice();
  expect(dunning.nextActionAt).toBe(dayAfter(dueDate, 15).toISOString());

  await page.goto("/app/policies");
  await page.getByRole("link", { name: "Calendrier standard" }).click();
  await expect(page.getByTestId("level-3").getByLabel("Jour (J-8 = -8)")).toHaveValue("15");
  const simulation = page.getByTestId("simulation");
  const rowOf = (d: Date) => simulation.getByRole("row").filter({ hasText: shown(d) });

  // As it stands: the reminder falls on J+15.
  await page.getByRole("button", { name: "Simuler 30 jours" }).click();
  await expect(rowOf(dayAfter(dueDate, 15))).toContainText(DEBTOR);
  await expect(rowOf(dayAfter(dueDate, 20)).filter({ hasText: DEBTOR })).toHaveCount(0);

  // J+15 → J+20 (and the J+16 call after it to J+21: the days must increase), simulated before saving.
  await setOffsets(page, { step4: 20, step5: 21 });
  await page.getByRole("button", { name: "Simuler 30 jours" }).click();
  await expect(rowOf(dayAfter(dueDate, 20))).toContainText(DEBTOR);
  await expect(rowOf(dayAfter(dueDate, 15)).filter({ hasText: DEBTOR })).toHaveCount(0);
  await expect(page.getByTestId("level-3").getByLabel("Jour (J-8 = -8)")).toHaveValue("20");
  expect((await readInvoice()).dunning.nextActionAt).toBe(dayAfter(dueDate, 15).toISOString());

  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Calendrier enregistré");
  expect((await readInvoice()).dunning).toMatchObject({ level: 2, nextActionAt: dayAfter(dueDate, 20).toISOString() });

  // The go-live checklist now says the calendar was simulated, by whom.
  await page.goto("/app/setup");
  await expect(page.getByTestId("golive-policy")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("golive-policy")).toContainText("Calendrier standard : simulé le");
  await expect(page.getByTestId("golive-policy")).toContainText("par Claire Durand");
  await expectAccessible(page);

  // Put the demo calendar back as it was.
  await page.goto("/app/policies");
  await page.getByRole("link", { name: "Calendrier standard" }).click();
  await setOffsets(page, { step4: 15, step5: 16 });
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Calendrier enregistré");
  expect((await readInvoice()).dunning.nextActionAt).toBe(dayAfter(dueDate, 15).toISOString());
});
