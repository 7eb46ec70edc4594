import { addDays, fixedClock } from "~/domain/clock";
import { issuePortalLink } from "~/services/portal/links.server";
import { localeCookie } from "~/utils/locale.server";
import { makeCreditor, makeDebtor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as landing } from "./p.$token";

/** Where a person's click on a reminder lands: selection, language, expired link. */
const database = useTestDatabase();
const BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

const open = (url: string, cookie?: string) => {
  const token = new URL(url).pathname.split("/").pop()!;
  return landing({
    request: new Request(url, { headers: { "User-Agent": BROWSER, ...(cookie ? { Cookie: cookie } : {}) } }),
    params: { token },
    context: {},
  });
};

async function debtorLink(opts: { locale?: "fr" | "en"; select?: string[]; issuedAt?: Date; brandName?: string } = {}) {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db, { brandName: opts.brandName ?? null, contactPhone: "04 72 00 00 00" });
  const debtor = await makeDebtor(db, creditor.id, { locale: opts.locale ?? "fr" });
  const link = await issuePortalLink(db, debtor, { clock: fixedClock(opts.issuedAt ?? new Date()), select: opts.select });
  return { creditor, link };
}

describe("magic link landing: the reminder's invoices, the debtor's language, the expired link", () => {
  it("opens the pay page with the invoices the link selects, dropping anything that is not an id", async () => {
    const { link } = await debtorLink({ select: ["inv_a1", "inv_b2"] });
    expect(link.url).toMatch(/\/p\/[\w-]+\.[\w-]+\.[\w-]+\?select=inv_a1,inv_b2$/);
    const response = await open(link.url);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/portal/pay?invoice=inv_a1&invoice=inv_b2");
    const forged = await open(`${link.url.split("?")[0]}?select=inv_a1,${encodeURIComponent("../../x?y=1")},inv_a1`);
    expect(forged.headers.get("Location")).toBe("/portal/pay?invoice=inv_a1");
    const plain = await open(link.url.split("?")[0]!);
    expect(plain.headers.get("Location")).toBe("/portal");
  });

  it("sets the debtor's language even when the browser holds another one", async () => {
    const { link } = await debtorLink({ locale: "en" });
    const response = await open(link.url, await localeCookie.serialize("fr"));
    const lang = response.headers.getSetCookie().find((c) => c.startsWith("lang="));
    expect(await localeCookie.parse(lang!)).toBe("en");
  });

  it("an expired link names its creditor and its contact; a forged one names nobody", async () => {
    const { link } = await debtorLink({ issuedAt: addDays(new Date(), -60), brandName: "Atelier Durand" });
    const expired = await open(link.url);
    expect(expired.status).toBe(410);
    const body = await expired.json();
    expect(body).toMatchObject({ reason: "expired", brand: { name: "Atelier Durand", contactPhone: "04 72 00 00 00" } });
    expect(body.brand.contactEmail).toMatch(/@example\.test$/);
    const [header, payload] = link.token.split(".");
    const forged = await open(`http://localhost/p/${header}.${payload}.${"A".repeat(43)}`);
    expect(forged.status).toBe(404);
    expect(await forged.json()).toEqual({ reason: "invalid", brand: null });
  });
});
