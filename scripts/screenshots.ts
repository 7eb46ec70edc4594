/**
 * `npx tsx scripts/screenshots.ts [--base http://localhost:3000] [--out docs/screenshots]`
 * Photographs the demo for the docs (docs/screenshots.md): the debtor portal on
 * a phone (390×844) and the back-office on a laptop (1440×900). Needs a
 * running demo server with mocked providers (`npm run dev`, or
 * `E2E_PORT=3100 bash scripts/e2e-server.sh` for a fresh database): the
 * portal is opened through the development link issuer /dev/portal-link. It
 * only reads — no payment, no plan, no message is sent.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, devices, type Browser, type Page } from "playwright-core";

const { values } = parseArgs({ options: { base: { type: "string" }, out: { type: "string" } } });
const base = (values.base ?? process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const out = values.out ?? "docs/screenshots";
fs.mkdirSync(out, { recursive: true });

const PHONE = { ...devices["iPhone 13"], viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "fr-FR" };
const LAPTOP = { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: "fr-FR" };

async function shoot(page: Page, name: string, fullPage: boolean) {
  // Let fonts and images settle: a half-drawn QR code would end up in the docs.
  await page.waitForLoadState("networkidle");
  const file = path.join(out, name);
  await page.screenshot({ path: file, fullPage, animations: "disabled" });
  console.log(`${file}  ${await page.title()}`);
}

async function portal(browser: Browser) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  // BTP Moreau et Fils: an invoice at the formal-notice stage, with the claim's breakdown and the transfer details.
  await page.goto(`${base}/dev/portal-link/C-1006`);
  await page.waitForURL(/\/portal$/);
  await shoot(page, "portal-home.png", true);
  await page.goto(`${base}/portal/pay`);
  await shoot(page, "pay.png", true);
  await context.close();

  // Studio Ocre: an active payment plan.
  const planContext = await browser.newContext(PHONE);
  const planPage = await planContext.newPage();
  await planPage.goto(`${base}/dev/portal-link/C-1010`);
  await planPage.waitForURL(/\/portal$/);
  const plan = await planPage.locator("main a[href^='/portal/plans/']").first().getAttribute("href");
  if (!plan) throw new Error("Studio Ocre (C-1010) has no plan link on its portal home: is this the demo data?");
  await planPage.goto(`${base}${plan}`);
  await shoot(planPage, "plan.png", true);
  await planContext.close();
}

async function backOffice(browser: Browser) {
  const context = await browser.newContext(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Adresse e-mail").fill(process.env.DEMO_EMAIL ?? "owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill(process.env.DEMO_PASSWORD ?? "relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await page.waitForURL(/\/app$/);
  await shoot(page, "inbox.png", false);

  await page.goto(`${base}/app/debtors?q=C-1006`);
  await page.getByRole("link", { name: "BTP Moreau et Fils" }).first().click();
  await page.waitForURL(/\/app\/debtors\/[^/?]+$/);
  // The timeline section, a screen high (a clip of the full page: scrolling is undone by scroll restoration).
  await page.waitForLoadState("networkidle");
  // Starting at the section's heading, or a screen above the page's end when the timeline is short.
  const top = await page
    .locator("#timeline-title")
    .evaluate((h) => Math.min(h.getBoundingClientRect().top + window.scrollY - 16, document.documentElement.scrollHeight - 900));
  const file = path.join(out, "debtor-timeline.png");
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: 0, y: Math.max(0, top), width: 1440, height: 900 },
    animations: "disabled",
  });
  console.log(`${file}  ${await page.title()}`);
  await context.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless", "--disable-gpu"],
});
try {
  await portal(browser);
  await backOffice(browser);
} finally {
  await browser.close();
}
