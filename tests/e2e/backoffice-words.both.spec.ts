import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/**
 * Credit managers read plain words: no page of the demo back-office shows an
 * internal code (an event kind like `portal.link_opened`, an enum value like
 * `AMOUNT_WRONG`, a template key like `first_reminder`). Emails, URLs, file
 * names and amounts are allowed; everything else identifier-shaped fails.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

const CODE_SHAPES = [/\b[a-z]+(?:\.[a-z_]+)+\b/g, /\b[A-Z]+_[A-Z_]+\b/g, /\b[a-z]+_[a-z_]+\b/g];

/** Emails, URLs, file names (`mise-en-demeure_F-2026-0107.pdf`) and amounts are words a person reads. */
function withoutAllowed(text: string) {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ")
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, " ")
    .replace(/\b\/\S+/g, " ")
    .replace(/[\w.-]+\.(?:pdf|csv|xml|txt|png|jpe?g|zip|json|html?)\b/gi, " ")
    .replace(/\d[\d\s.,]*\s?(?:€|EUR)/g, " ");
}

/** Each shape in turn, taking out what it found, so `portal.link_opened` is one code, not two. */
function codesIn(text: string): string[] {
  let rest = withoutAllowed(text);
  const found: string[] = [];
  for (const shape of CODE_SHAPES) {
    found.push(...(rest.match(shape) ?? []));
    rest = rest.replace(shape, " ");
  }
  return [...new Set(found)];
}

async function visibleCodes(page: Page) {
  // Closed <details> hold text too (e-mail bodies): open them so it is checked.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
  const text = await page.locator("body").innerText();
  return codesIn(text);
}

test("the identifier filter catches codes and lets emails, links, files and amounts through", () => {
  expect(codesIn("Lien ouvert (portal.link_opened) — AMOUNT_WRONG — first_reminder")).toEqual([
    "portal.link_opened",
    "AMOUNT_WRONG",
    "first_reminder",
  ]);
  expect(codesIn("compta@cafe-des-arts.test · https://relance.test/p/abc_def · mise-en-demeure_F-2026-0107.pdf · 1 234,56 €")).toEqual([]);
});

test("no back-office page shows an internal code", async ({ page }) => {
  test.setTimeout(240_000);
  // The worker ran the start-up tick: reminders sent, tasks created, the timelines are full.
  await waitForEmail("accounts@nordic-design.test", /Reminder/);
  await signIn(page);
  const pages = ["/app", "/app/debtors", "/app/invoices", "/app/kpis", "/app/settings", "/app/team", "/app/account", "/app/import"];
  await page.goto("/app/debtors");
  const debtorLinks = await page.locator("main a[href^='/app/debtors/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  expect(debtorLinks.length).toBeGreaterThan(3);
  pages.push(...debtorLinks);
  const found: Record<string, string[]> = {};
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const codes = await visibleCodes(page);
    if (codes.length > 0) found[path] = codes;
    // axe waits for ever on sandboxed email frames (no script may run in them): checked on the inbox only.
    if (path === "/app") await expectAccessible(page);
  }
  expect(found).toEqual({});
});

test("the dev mailbox shows the HTML version in a sandboxed frame beside the text, with clickable links", async ({ page }) => {
  await waitForEmail("accounts@nordic-design.test", /Reminder/);
  await page.goto("/dev/mailbox?to=accounts@nordic-design.test");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boîte d'envoi (simulée)");
  const mail = page.locator("article").filter({ hasText: "Reminder" }).first();
  await expect(mail.getByRole("heading", { name: "Version HTML" })).toBeVisible();
  const frame = mail.locator("iframe");
  await expect(frame).toHaveAttribute("sandbox", "");
  expect(await frame.getAttribute("srcdoc")).toMatch(/<html|<body|<table|<p/i);
  const link = mail.locator("pre a[href^='http']").first();
  await expect(link).toBeVisible();
  expect(await link.getAttribute("href")).toBe(await link.textContent());
});
