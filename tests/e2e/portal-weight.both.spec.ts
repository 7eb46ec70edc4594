import { expect, test } from "@playwright/test";

/**
 * Issue 17: the debtor's read-only pages ship no JavaScript at all and carry their
 * CSS inline (a phone on a slow network loads one HTML document); pages with in-page help (the
 * copy buttons of the pay page, the plan and dispute forms' live checks) keep it.
 * Read-only on the demo data: Vitraux Mercier (C-1019).
 */
test("the portal home, history and an invoice page load no script and no stylesheet; the pay page does", async ({ page }) => {
  const scripts: string[] = [];
  const stylesheets: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    if (r.resourceType() === "stylesheet") stylesheets.push(new URL(r.url()).pathname);
  });
  await page.goto("/dev/portal-link/C-1019");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator("main h1")).toBeVisible();
  expect(await page.locator("script").count()).toBe(0);
  // Styled all the same: the stylesheet is inline.
  expect(await page.locator("head style").count()).toBe(1);
  expect(await page.locator(".skip-link").evaluate((el) => getComputedStyle(el).position)).not.toBe("static");

  const invoice = await page.locator("main a[href^='/portal/invoices/']").first().getAttribute("href");
  expect(invoice).toBeTruthy();
  await page.goto(invoice!);
  await expect(page.locator("main h1")).toBeVisible();
  await page.goto("/portal/history");
  await expect(page.locator("main h1")).toBeVisible();
  expect(await page.locator("script").count()).toBe(0);
  expect(scripts).toEqual([]);
  expect(stylesheets).toEqual([]);

  await page.goto("/portal/pay");
  await expect(page.locator("main h1")).toBeVisible();
  expect(await page.locator("script[type='module']").count()).toBeGreaterThan(0);
  expect(stylesheets.length).toBe(1);
});
