import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { portalLinkIn, waitForEmail } from "./mailbox";

/** The reminder's button as sent: the magic link with the invoices that email lists. */
async function reminderLink() {
  const mail = await waitForEmail("accounts@nordic-design.test", /Reminder/);
  const full = /https?:\/\/[^\s"<>]+\/p\/[\w-]+\.[\w-]+\.[\w-]+(\?select=[\w,-]+)?/.exec(mail.text)?.[0];
  expect(full, "the reminder carries its invoices").toMatch(/\?select=[\w-]+,[\w-]+$/);
  const url = new URL(full!);
  return { path: `${url.pathname}${url.search}`, plain: portalLinkIn(mail) };
}

const isJs = () => test.info().project.use.javaScriptEnabled !== false;

test("each open invoice has its own Pay button stating its amount; the transfer option has grouped IBAN, copy buttons and an EPC QR code", async ({
  page,
}) => {
  const { plain } = await reminderLink();
  await page.goto(plain);
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole("button", { name: "Pay €3,100.00 (invoice F-2026-0104)" }).click();
  await expect(page).toHaveURL(/\/portal\/pay\?invoice=/);
  await expect(page.getByRole("checkbox", { name: /F-2026-0104/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /F-2026-0105/ })).not.toBeChecked();
  await expect(page.getByRole("button", { name: "Pay €3,100.00" })).toBeVisible();
  // Touch targets: checkboxes and radios are at least 24×24 px.
  for (const box of [page.getByRole("checkbox").first(), page.getByRole("radio").first()]) {
    const size = await box.boundingBox();
    expect(size!.width).toBeGreaterThanOrEqual(24);
    expect(size!.height).toBeGreaterThanOrEqual(24);
  }

  const transfer = page.getByRole("region", { name: "Pay by bank transfer" });
  await expect(transfer.getByText(/^FR\d{2}( [A-Z0-9]{4})+( [A-Z0-9]{1,3})?$/)).toBeVisible();
  await expect(transfer.getByText(/^RF\d{2}( [A-Z0-9]{1,4})+$/)).toBeVisible();
  const qr = transfer.getByRole("img", { name: /^SEPA transfer QR code: €3,555\.00 to / });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
  if (isJs()) {
    await expect(transfer.getByRole("button", { name: "Copy IBAN" })).toBeVisible();
    await expect(transfer.getByRole("button", { name: "Copy reference" })).toBeVisible();
  } else {
    // Without JavaScript there is nothing to click: the values stay selectable text.
    await expect(transfer.getByRole("button", { name: "Copy IBAN" })).toHaveCount(0);
  }
  await expectAccessible(page);
});

test("a debtor's link opens in the debtor's language even if this browser chose another one, and the switch still works", async ({
  page,
  context,
  baseURL,
}) => {
  await context.addCookies([
    { name: "lang", value: encodeURIComponent(Buffer.from(JSON.stringify("fr")).toString("base64")), url: baseURL! },
  ]);
  const { plain } = await reminderLink();
  await page.goto(plain);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: /Français/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByText("Espace de paiement sécurisé pour les factures d'Atelier Durand")).toBeVisible();
});

test("email to provider page in two taps: the reminder's button selects its invoices, one Pay button states the total", async ({
  page,
  baseURL,
}) => {
  const { path } = await reminderLink();
  await page.goto(path); // tap 1: the email's button
  await expect(page).toHaveURL(/\/portal\/pay\?invoice=[\w-]+&invoice=[\w-]+$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("checkbox", { name: /F-2026-0104/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /F-2026-0105/ })).toBeChecked();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Pay €3,555.00" }).click(); // tap 2
  // The provider's page (local stand-in) is on this server's own port, whatever it is.
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/dev/sandbox/stripe/cs_test_`));
});
