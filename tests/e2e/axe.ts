import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/**
 * Fails the test on any WCAG 2.1 A/AA violation of the current page. axe runs
 * inside the page, so it is skipped in the JavaScript-disabled project (the
 * same pages are checked in the JavaScript project).
 */
export async function expectAccessible(page: Page, options: { skipFrames?: string } = {}) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  // A sandboxed email preview (sandbox="", no script) cannot host axe: leave those frames out.
  if (options.skipFrames) builder = builder.exclude(options.skipFrames);
  const results = await builder.analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary).toEqual([]);
}
