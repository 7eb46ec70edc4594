import { base64url, SignJWT } from "jose";
import { addDays, fixedClock } from "~/domain/clock";
import { getEnv } from "~/utils/env.server";
import { signPortalToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "~/utils/portal-token.server";
import { makeCreditor, makeDebtor } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { issuePortalLink } from "./links.server";
import { checkPortalLink, revokeAllLinks } from "./access.server";

const database = useTestDatabase();
const NOW = new Date("2026-05-01T09:00:00Z");
const clock = fixedClock(NOW);
const secret = () => new TextEncoder().encode(getEnv().PORTAL_TOKEN_SECRET);

async function linkFor() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id);
  const link = await issuePortalLink(db, debtor, { clock });
  const row = await db.accessLink.findFirstOrThrow({ where: { debtorId: debtor.id } });
  return { db, creditor, debtor, link, row };
}

describe("magic links (ARCHITECTURE §5)", () => {
  it("a genuine link opens the debtor's portal", async () => {
    const { db, creditor, debtor, link } = await linkFor();
    expect(await checkPortalLink(db, link.token, clock)).toMatchObject({ ok: true, debtorId: debtor.id, creditorId: creditor.id });
  });

  it("refuses a tampered signature", async () => {
    const { db, link } = await linkFor();
    const [h, p, s] = link.token.split(".");
    const flipped = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BB" : "AA"}`;
    expect(await checkPortalLink(db, flipped, clock)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a tampered payload (another debtor's id) even with the header kept", async () => {
    const { db, creditor, link } = await linkFor();
    const other = await makeDebtor(db, creditor.id);
    const [h, p, s] = link.token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const forged = `${h}.${base64url.encode(JSON.stringify({ ...claims, sub: other.id }))}.${s}`;
    expect(await checkPortalLink(db, forged, clock)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses alg none and an RS256 header", async () => {
    const { db, link, row } = await linkFor();
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(link.token.split(".")[1]!)));
    const none = `${base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url.encode(JSON.stringify(claims))}.`;
    expect(await checkPortalLink(db, none, clock)).toEqual({ ok: false, reason: "invalid" });
    const [, p, s] = link.token.split(".");
    const rs256 = `${base64url.encode(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${p}.${s}`;
    expect(await checkPortalLink(db, rs256, clock)).toEqual({ ok: false, reason: "invalid" });
    expect(row.jti).toBe(claims.jti);
  });

  it("refuses a wrong audience or issuer", async () => {
    const { db, debtor, row } = await linkFor();
    for (const [iss, aud] of [
      [TOKEN_ISSUER, "api"],
      ["someone-else", TOKEN_AUDIENCE],
    ] as const) {
      const token = await new SignJWT({ crd: debtor.creditorId })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject(debtor.id)
        .setJti(row.jti)
        .setExpirationTime(Math.floor(addDays(NOW, 5).getTime() / 1000))
        .sign(secret());
      expect(await checkPortalLink(db, token, clock)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("an expired link is recognised as expired (and may ask for a fresh one)", async () => {
    const { db, link } = await linkFor();
    expect(await checkPortalLink(db, link.token, fixedClock(addDays(NOW, 31)))).toEqual({ ok: false, reason: "expired" });
  });

  it("a validly signed token whose jti is unknown is refused", async () => {
    const { db, debtor, creditor } = await linkFor();
    const token = await signPortalToken(getEnv().PORTAL_TOKEN_SECRET, {
      debtorId: debtor.id,
      creditorId: creditor.id,
      jti: "not-issued",
      expiresAt: addDays(NOW, 3),
    });
    expect(await checkPortalLink(db, token, clock)).toEqual({ ok: false, reason: "invalid" });
  });

  it("staff can revoke every link of a debtor", async () => {
    const { db, creditor, debtor, link } = await linkFor();
    const second = await issuePortalLink(db, debtor, { clock });
    expect(await revokeAllLinks(db, creditor.id, debtor.id, { userId: "staff-1" }, clock)).toBe(2);
    expect(await checkPortalLink(db, link.token, clock)).toEqual({ ok: false, reason: "revoked" });
    expect(await checkPortalLink(db, second.token, clock)).toEqual({ ok: false, reason: "revoked" });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "portal.links_revoked" } })).toBe(1);
  });
});
