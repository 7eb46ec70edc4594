import { fixedClock } from "~/domain/clock";
import { issuePortalLink } from "~/services/portal/links.server";
import { makeCreditor, makeDebtor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as landing } from "./p.$token";
import { loader as portalLayout } from "./portal";

/** The magic-link landing and the first portal page, as mail scanners and browsers call them. */
const database = useTestDatabase();
const BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const SCANNERS: Array<[method: "GET" | "HEAD", agent: string]> = [
  ["GET", "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; Microsoft Safe Links)"],
  ["HEAD", BROWSER], // Defender's prefetch announces itself as a browser, but only asks for the headers
  ["GET", "Mozilla/5.0 (compatible; proofpoint-url-defense/1.0)"],
  ["GET", "Barracuda Sentinel (EE)"],
  ["GET", "Mimecast-Url-Protect/1.0"],
  ["GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
  ["HEAD", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
  ["GET", ""],
];

async function link() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const { token } = await issuePortalLink(db, debtor, { clock: fixedClock(new Date()) });
  const trace = async () => ({
    opened: await db.communication.count({ where: { creditorId: creditor.id, debtorId: debtor.id, kind: "portal.link_opened" } }),
    lastUsedAt: (await db.accessLink.findFirstOrThrow({ where: { creditorId: creditor.id, debtorId: debtor.id } })).lastUsedAt,
    sessions: await db.portalSession.count({ where: { creditorId: creditor.id, debtorId: debtor.id } }),
  });
  return { token, trace };
}

const open = (token: string, method: string, agent: string, cookie?: string) =>
  landing({
    request: new Request(`http://localhost/p/${token}`, {
      method,
      headers: { "User-Agent": agent, ...(cookie ? { Cookie: cookie } : {}) },
    }),
    params: { token },
    context: {},
  });

/** The portal page a redirect-following client lands on, with the cookies it kept. */
async function portal(agent: string, cookie: string, method = "GET") {
  const request = new Request("http://localhost/portal", { method, headers: { "User-Agent": agent, Cookie: cookie } });
  return portalLayout({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown as Response);
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("magic link landing (GET /p/:token)", () => {
  it("eight scanner prefetches leave no trace, no last use and no session, even when they follow the redirect", async () => {
    const { token, trace } = await link();
    for (const [method, agent] of SCANNERS) {
      const response = await open(token, method, agent);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/portal");
      // A scanner with a cookie jar follows the redirect: it is still not the debtor.
      const followed = await portal(agent, cookiesOf(response), method);
      expect(followed.headers.get("Location")).toBe("/portal/expired");
    }
    expect(await trace()).toEqual({ opened: 0, lastUsedAt: null, sessions: 0 });
  });

  it("a scanner that fetches the link without keeping cookies records nothing, even with a browser's user agent", async () => {
    const { token, trace } = await link();
    for (let i = 0; i < 3; i++) expect((await open(token, "GET", BROWSER)).status).toBe(302);
    expect(await trace()).toEqual({ opened: 0, lastUsedAt: null, sessions: 0 });
  });

  it("a person's browser reaching the portal records exactly one opening; a reload adds none", async () => {
    const { token, trace } = await link();
    const landed = await open(token, "GET", BROWSER);
    const cookie = cookiesOf(landed);
    expect(cookie).toContain("__portal=");

    const first = await portal(BROWSER, cookie);
    expect(first.status).toBe(200);
    const afterFirst = await trace();
    expect(afterFirst).toMatchObject({ opened: 1, sessions: 1 });
    expect(afterFirst.lastUsedAt).toBeInstanceOf(Date);

    const reload = await portal(BROWSER, cookie);
    expect(reload.status).toBe(200);
    // Two loaders of one page arriving together (client navigation) do not double it either.
    await Promise.all([portal(BROWSER, cookie), portal(BROWSER, cookie)]);
    expect(await trace()).toEqual(afterFirst);
  });

  it("opening the link again rotates the session: the old cookie stops working, a second opening is recorded", async () => {
    const { token, trace } = await link();
    const firstCookie = cookiesOf(await open(token, "GET", BROWSER));
    expect((await portal(BROWSER, firstCookie)).status).toBe(200);
    const secondCookie = cookiesOf(await open(token, "GET", BROWSER, firstCookie));
    expect((await portal(BROWSER, secondCookie)).status).toBe(200);
    expect((await portal(BROWSER, firstCookie)).headers.get("Location")).toBe("/portal/expired");
    expect(await trace()).toMatchObject({ opened: 2, sessions: 2 });
  });
});
