import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";

test("home page is French by default, accessible, and switches to English", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Encaissez plus tôt, relancez avec tact");
  await expectAccessible(page);

  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Get paid sooner, remind with tact");
  await expect(page).toHaveURL(/\/$/);
});

test("an unknown page answers 404 with a readable page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
  await expectAccessible(page);
});

test("health check reports the database", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe("ok");
  expect(["pglite", "postgres"]).toContain(body.database);
});
