import { devices, expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

/**
 * Accessibility beyond axe (reflow at 320 px, 200 % zoom, focus ring
 * contrast, page titles, copy buttons) and the credit manager's tables at
 * 1440 px. Read-only on the demo data: Vitraux Mercier (C-1019, a plan; its own, as the bank journey pays Studio Ocre) in the
 * portal, lists and one invoice page in the back-office.
 */

const jsEnabled = () => test.info().project.use.javaScriptEnabled !== false;

async function context(browser: Browser, width: number, height: number) {
  return browser.newContext({
    ...devices["Desktop Chrome"],
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: "fr-FR",
    javaScriptEnabled: jsEnabled(),
  });
}

async function openPortal(page: Page) {
  await page.goto("/dev/portal-link/C-1019");
  await expect(page).toHaveURL(/\/portal$/);
}

async function planHref(page: Page) {
  const href = await page.locator("main a[href^='/portal/plans/']").first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

/** Nothing sticks out sideways: the page does not scroll horizontally and no element passes its right edge. */
async function overflowOf(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const out: string[] = [];
    for (const el of document.querySelectorAll("main *, header *, footer *")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > doc.clientWidth + 1)
        out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
    }
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, out: out.slice(0, 5) };
  });
}

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

/** The amounts of the invoice list's "Montant" column, in minor units, top to bottom. */
async function amountColumn(page: Page) {
  const cells = await page.locator("tbody td[data-label='Montant']").allTextContents();
  return cells.map((c) => Number(c.replace(/[^\d,]/g, "").replace(",", ".")) * 100);
}

test("the plan's installment table reflows at 320 px: no sideways scroll, stacked rows, one 'Échéance'-free header row", async ({
  browser,
}) => {
  const ctx = await context(browser, 320, 720);
  const page = await ctx.newPage();
  await openPortal(page);
  await page.goto(await planHref(page));
  await expect(page).toHaveTitle("Votre échéancier — Atelier Durand");
  const table = page.locator("table.installments");
  await expect(table).toBeVisible();
  const widths = await table.evaluate((t) => ({
    table: t.scrollWidth,
    room: t.parentElement!.clientWidth,
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.table).toBeLessThanOrEqual(widths.room);
  const headers = await table.locator("thead th").allTextContents();
  expect(new Set(headers).size).toBe(headers.length);
  expect(headers.filter((h) => h === "Échéance")).toHaveLength(0);
  // Each stacked cell says what it is.
  await expect(table.locator("tbody tr").first().locator("td[data-label='Montant']")).toBeVisible();
  await ctx.close();
});

test("at 200 % zoom (640 px at scale 1) and with 200 % text on a phone, portal pages do not overflow", async ({ browser }) => {
  for (const [width, textZoom] of [
    [640, false],
    [390, true],
  ] as const) {
    const ctx = await context(browser, width, 800);
    const page = await ctx.newPage();
    await openPortal(page);
    const invoice = await page.locator("main a[href^='/portal/invoices/']").first().getAttribute("href");
    const pages = ["/portal", "/portal/pay", "/portal/history", "/portal/plan", await planHref(page), invoice!];
    for (const path of pages) {
      await page.goto(path);
      // Text at 200 % (the browser's text-size setting), without a style tag: the no-JS project runs it too.
      if (textZoom) await page.evaluate(() => document.documentElement.style.setProperty("font-size", "200%", "important"));
      const result = await overflowOf(page);
      expect({ path, width, textZoom, ...result }).toEqual({
        path,
        width,
        textZoom,
        scrollWidth: result.clientWidth,
        clientWidth: result.clientWidth,
        out: [],
      });
    }
    await ctx.close();
  }
});

test("the keyboard focus ring has at least 3:1 contrast against whatever it is drawn on", async ({ page }) => {
  await openPortal(page);
  const seen: { text: string; ratio: number; width: number }[] = [];
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    const sample = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => v / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
          .reduce((sum, v, k) => sum + v * [0.2126, 0.7152, 0.0722][k]!, 0);
      const style = getComputedStyle(el);
      // The ring is drawn outside the element (outline-offset): against the first opaque background around it.
      let bg = "rgb(255, 255, 255)";
      for (let node: HTMLElement | null = el.parentElement; node; node = node.parentElement) {
        const c = getComputedStyle(node).backgroundColor;
        const parts = rgb(c);
        if (parts.length >= 3 && (parts.length === 3 || parts[3]! > 0)) {
          bg = c;
          break;
        }
      }
      const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(bg))];
      return {
        text: (el.textContent ?? el.tagName).trim().slice(0, 30),
        ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
        width: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
      };
    });
    if (sample) seen.push(sample);
  }
  expect(seen.length).toBeGreaterThan(5);
  for (const s of seen) {
    expect(s.width, s.text).toBeGreaterThanOrEqual(2);
    expect(s.ratio, s.text).toBeGreaterThanOrEqual(3);
  }
});

test("every page's title says the page and whose space it is", async ({ page, browser }) => {
  await openPortal(page);
  await expect(page).toHaveTitle("Vos factures — Atelier Durand");
  const plan = await planHref(page);
  for (const [path, title] of [
    ["/portal/pay", "Payer — Atelier Durand"],
    ["/portal/history", "Historique — Atelier Durand"],
    ["/portal/plan", "Proposer un échéancier — Atelier Durand"],
    [plan, "Votre échéancier — Atelier Durand"],
  ]) {
    await page.goto(path!);
    await expect(page).toHaveTitle(title!);
  }
  await page.goto("/portal");
  await page.getByRole("link", { name: "F-2026-1019" }).first().click();
  await expect(page).toHaveTitle("Facture F-2026-1019 — Atelier Durand");

  const ctx = await context(browser, 1440, 900);
  const staff = await ctx.newPage();
  await signIn(staff);
  await expect(staff).toHaveTitle("Boîte de réception — Atelier Durand SAS");
  for (const [path, title] of [
    ["/app/invoices", "Factures — Atelier Durand SAS"],
    ["/app/debtors", "Débiteurs — Atelier Durand SAS"],
    ["/app/kpis", "Indicateurs — Atelier Durand SAS"],
  ]) {
    await staff.goto(path!);
    await expect(staff).toHaveTitle(title!);
  }
  await ctx.close();
});

test("copy buttons say what they copy and are at least 44×44 px; without JavaScript the values stay selectable text", async ({ page }) => {
  await openPortal(page);
  await page.goto("/portal/pay");
  await expect(page.locator(".copyable code").first()).toBeVisible();
  if (!jsEnabled()) {
    await expect(page.getByRole("button", { name: /^Copier/ })).toHaveCount(0);
    return;
  }
  for (const name of ["Copier l'IBAN", "Copier le BIC", "Copier la référence"]) {
    const button = page.getByRole("button", { name, exact: true });
    await expect(button).toBeVisible();
    const box = (await button.boundingBox())!;
    expect(box.width, name).toBeGreaterThanOrEqual(44);
    expect(box.height, name).toBeGreaterThanOrEqual(44);
  }
  await expectAccessible(page);
});

test("back-office at 1440 px: one-line navigation, full width, sortable and filterable invoices, CSV export, an invoice's own page", async ({
  browser,
}) => {
  const ctx = await context(browser, 1440, 900);
  const page = await ctx.newPage();
  await signIn(page);
  // The navigation holds on one line and the content spans the screen.
  const tops = await page.locator("header nav li").evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  const mainWidth = await page.locator("main").evaluate((m) => m.getBoundingClientRect().width);
  expect(mainWidth).toBeGreaterThan(1300);

  await page.goto("/app/invoices");
  const before = await amountColumn(page);
  await page.getByRole("link", { name: "Montant", exact: true }).click();
  await expect(page).toHaveURL(/sort=amount&dir=asc/);
  await expect(page.getByRole("columnheader", { name: /^Montant/ })).toHaveAttribute("aria-sort", "ascending");
  const ascending = await amountColumn(page);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  expect(ascending).not.toEqual(before);
  await page.getByRole("link", { name: /^Montant/ }).click();
  await expect(page).toHaveURL(/sort=amount&dir=desc/);
  await expect(page.getByRole("columnheader", { name: /^Montant/ })).toHaveAttribute("aria-sort", "descending");
  const descending = await amountColumn(page);
  expect(descending).toEqual([...ascending].reverse());
  await expectAccessible(page);

  // Filters are a GET form: they work without JavaScript and keep the order.
  await page.getByLabel("Montant minimum (EUR)").fill("3 000");
  await page.getByLabel("En retard seulement").check();
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/min=3\+000/);
  await expect(page).toHaveURL(/overdue=1/);
  await expect(page).toHaveURL(/sort=amount/);
  await expect(page.getByLabel("Montant minimum (EUR)")).toHaveValue("3 000");
  const filtered = await amountColumn(page);
  expect(filtered.length).toBeGreaterThan(0);
  expect(filtered.length).toBeLessThan(descending.length);
  expect(filtered.every((a) => a >= 300_000)).toBe(true);
  expect(filtered).toEqual([...filtered].sort((a, b) => b - a));

  // The export follows the same filters.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Exporter en CSV (tableur)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^factures-\d{4}-\d{2}-\d{2}\.csv$/);
  const fs = await import("node:fs");
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "Numéro;Client;Référence client;Date de facture;Échéance;Montant TTC;Payé;Avoirs;Reste dû;Devise;Statut;Étape de relance",
  );
  expect(lines).toHaveLength(filtered.length + 1);
  expect(lines[1]).toMatch(/^F-2026-0108;BTP Moreau et Fils;C-1006;.*;12400,00;.*;EUR;/);

  // A row opens the invoice's own page, with where dunning stands and its timeline.
  await page.getByRole("link", { name: "F-2026-0108", exact: true }).click();
  await expect(page).toHaveURL(/\/app\/invoices\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facture F-2026-0108");
  await expect(page).toHaveTitle("Facture F-2026-0108 — Atelier Durand SAS");
  await expect(page.getByTestId("dunning-state")).toContainText("Mise en demeure");
  await expect(page.getByRole("heading", { name: "Historique de la facture" })).toBeVisible();
  await expect(page.getByTestId("invoice-timeline").locator("> li").first()).toBeVisible();
  await expectAccessible(page);
  await ctx.close();
});

test("back-office debtors sort by balance and export; KPI charts have axes, units and labels that do not overlap", async ({ browser }) => {
  const ctx = await context(browser, 1440, 900);
  const page = await ctx.newPage();
  await signIn(page);
  await page.goto("/app/debtors");
  await page.getByRole("link", { name: "Encours", exact: true }).click();
  await expect(page).toHaveURL(/sort=balance&dir=asc/);
  await page.getByRole("link", { name: /^Encours/ }).click();
  await expect(page).toHaveURL(/sort=balance&dir=desc/);
  await expect(page.getByRole("columnheader", { name: /^Encours/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.locator("tbody tr").first()).toContainText("BTP Moreau et Fils");
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Exporter en CSV (tableur)" }).click(),
  ]);
  const fs = await import("node:fs");
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.slice(1).split("\r\n")[0]).toBe("Client;Référence client;E-mail;Profil de risque;Factures ouvertes;Reste dû;Devise");
  expect(csv.slice(1).split("\r\n")[1]).toMatch(/^BTP Moreau et Fils;C-1006;.*;12400,00;EUR$/);

  await page.goto("/app/kpis");
  const charts = page.locator("figure.chart svg[role='img']");
  await expect(charts).toHaveCount(2);
  for (const chart of await charts.all()) {
    await expect(chart.locator("title").first()).not.toBeEmpty();
    await expect(chart.locator("desc").first()).not.toBeEmpty();
    await expect(chart.locator(".chart-axis-title").first()).toHaveText("Montant (EUR)");
    expect(await chart.locator(".chart-tick").count()).toBeGreaterThanOrEqual(3);
    const boxes = await chart.locator(".chart-label").evaluateAll((labels) =>
      labels.map((l) => {
        const r = l.getBoundingClientRect();
        return { left: r.left, right: r.right };
      }),
    );
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
  }
  // The numbers are also a table (fallback for the drawing).
  await expect(page.locator("figure.chart table.chart-table")).toHaveCount(2);
  await expectAccessible(page);
  await ctx.close();
});

test("axe stays clean on the touched portal pages", async ({ page }) => {
  await openPortal(page);
  await expectAccessible(page);
  await page.goto(await planHref(page));
  await expectAccessible(page);
  await page.goto("/portal/history");
  await expectAccessible(page);
});
