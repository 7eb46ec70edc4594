import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { authenticateApiKey } from "~/services/api/keys.server";
import { generateFormalNotice } from "~/services/documents/documents.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.settings";
import { loader as logoLoader } from "./brand.$creditorId.logo";

const database = useTestDatabase();
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-settings-"));
});

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const FORM = {
  legalName: "Atelier Durand SAS",
  siren: "732829320",
  vatNumber: "FR44732829320",
  addressLine1: "3 rue des Tanneurs",
  postalCode: "69001",
  city: "Lyon",
  country: "FR",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "AGRIFRPP",
  brandColor: "#0f766e",
  portalLinkDays: "21",
  planMaxInstallments: "4",
  planMaxMonths: "4",
  planMinInstallment: "75,00",
  planMinDownPaymentPc: "10",
  planGraceDays: "3",
  allowPartialPayments: "on",
  minPartialAmount: "20",
  promiseMaxDays: "10",
  lateInterestMode: "contractual",
  lateInterestRate: "12,5",
  jurisdiction: "FR",
};

const post = (cookie: string, fields: Record<string, string>) =>
  action({
    request: new Request("http://localhost/app/settings", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });

/** The settings form as the browser sends it: multipart, with the logo file input (empty when none is chosen). */
const postMultipart = (cookie: string, fields: Record<string, string>, logo?: { name: string; bytes: Uint8Array; type: string }) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append("logo", logo ? new Blob([new Uint8Array(logo.bytes)], { type: logo.type }) : new Blob([]), logo?.name ?? "");
  return action({
    request: new Request("http://localhost/app/settings", { method: "POST", body, headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });
};

// A real 1×1 PNG, and a JPEG header.
const PNG = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"),
);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

const fetchLogo = (creditorId: string, headers: Record<string, string> = {}) =>
  logoLoader({ request: new Request(`http://localhost/brand/${creditorId}/logo`, { headers }), params: { creditorId }, context: {} }).catch(
    (e: unknown) => e as Response,
  );

describe("/app/settings: company profile", () => {
  it("keeps every typed value and says what is wrong next to IBAN, SIRET, VAT number and time zone", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const typed = {
      ...FORM,
      iban: "FR76 3000 6000 0112 3456 7890 188",
      siret: "73282932000018",
      vatNumber: "FR83404833048",
      senderName: "Atelier Durand — Compta",
      replyToEmail: "compta@durand.example",
      timeZone: "Europe/Lyon",
    };
    const res = await postMultipart(owner, typed);
    expect(res.status).toBe(400);
    const { lastResult } = await res.json();
    expect(lastResult!.error).toMatchObject({
      iban: ["intake.settings.errors.iban"],
      siret: ["intake.settings.errors.siret"],
      vatNumber: ["intake.settings.errors.vatSiren"],
      timeZone: ["intake.settings.errors.timeZone"],
    });
    expect(lastResult!.initialValue).toMatchObject({
      iban: typed.iban,
      siret: "73282932000018",
      senderName: "Atelier Durand — Compta",
      replyToEmail: "compta@durand.example",
      timeZone: "Europe/Lyon",
    });
    // A SIRET of another company is refused too, even with a valid check digit.
    const other = await (await postMultipart(owner, { ...FORM, siret: "35600000000048" })).json();
    expect(other.lastResult!.error).toMatchObject({ siret: ["intake.settings.errors.siretSiren"] });
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      iban: null,
      siret: null,
      timeZone: "Europe/Paris",
    });
  });

  it("saves the profile: SIRET, sender name, reply-to, language and time zone", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const res = await postMultipart(owner, {
      ...FORM,
      siret: "732 829 320 00017",
      senderName: "Atelier Durand",
      replyToEmail: "compta@durand.example",
      defaultLocale: "en",
      timeZone: "America/Guadeloupe",
    });
    expect(res.status).toBe(200);
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      siret: "73282932000017",
      senderName: "Atelier Durand",
      replyToEmail: "compta@durand.example",
      defaultLocale: "en",
      timeZone: "America/Guadeloupe",
      logoAttachmentId: null,
    });
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.form).toMatchObject({ siret: "73282932000017", timeZone: "America/Guadeloupe" });
    expect(page.timeZones.slice(0, 2)).toEqual(["Europe/Paris", "America/Guadeloupe"]);
  });

  it("refuses a logo that is too big or not a PNG/JPEG, keeping the other values", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const big = new Uint8Array(300 * 1024 + 1);
    big.set(PNG);
    const tooBig = await postMultipart(owner, { ...FORM, city: "Villeurbanne" }, { name: "logo.png", bytes: big, type: "image/png" });
    expect(tooBig.status).toBe(400);
    const first = (await tooBig.json()).lastResult!;
    expect(first.error).toMatchObject({ logo: ["intake.settings.errors.logoTooLarge"] });
    expect(first.initialValue).toMatchObject({ city: "Villeurbanne" });
    // Named .png, sent as image/png, but a PDF inside.
    const fake = new TextEncoder().encode("%PDF-1.4 not a picture");
    const wrong = await postMultipart(owner, FORM, { name: "logo.png", bytes: fake, type: "image/png" });
    expect((await wrong.json()).lastResult!.error).toMatchObject({ logo: ["intake.settings.errors.logoType"] });
    const saved = await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } });
    expect(saved).toMatchObject({ logoAttachmentId: null, city: "Lyon" });
    expect(await db.attachment.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("stores a good logo, serves it publicly with an ETag, replaces and removes it", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    expect((await fetchLogo(creditor.id)).status).toBe(404);

    expect((await postMultipart(owner, FORM, { name: "mon logo.png", bytes: PNG, type: "image/png" })).status).toBe(200);
    const first = await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } });
    const attachment = await db.attachment.findUniqueOrThrow({ where: { id: first.logoAttachmentId! } });
    expect(attachment).toMatchObject({ creditorId: creditor.id, kind: "LOGO", contentType: "image/png", size: PNG.byteLength });

    const served = await fetchLogo(creditor.id);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Cache-Control")).toMatch(/^public/);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const etag = served.headers.get("ETag")!;
    expect((await fetchLogo(creditor.id, { "If-None-Match": etag })).status).toBe(304);
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.logoUrl).toMatch(new RegExp(`/brand/${creditor.id}/logo\\?v=`));

    // Saving the form without a file keeps the logo; a new file replaces it (the old one is gone).
    await postMultipart(owner, FORM);
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).logoAttachmentId).toBe(first.logoAttachmentId);
    await postMultipart(owner, FORM, { name: "logo.jpg", bytes: JPEG, type: "image/jpeg" });
    const second = await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } });
    expect(second.logoAttachmentId).not.toBe(first.logoAttachmentId);
    expect(await db.attachment.findUnique({ where: { id: first.logoAttachmentId! } })).toBeNull();
    const jpeg = await fetchLogo(creditor.id, { "If-None-Match": etag });
    expect(jpeg.status).toBe(200);
    expect(jpeg.headers.get("Content-Type")).toBe("image/jpeg");

    await postMultipart(owner, { ...FORM, logoRemove: "on" });
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).logoAttachmentId).toBeNull();
    expect(await db.attachment.count({ where: { creditorId: creditor.id, kind: "LOGO" } })).toBe(0);
    expect((await fetchLogo(creditor.id)).status).toBe(404);
  });

  it("prints the logo top-left of the letters once uploaded", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id);
    const now = new Date();
    const invoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: new Date(now.getTime() - 40 * 86_400_000), now },
    );
    const letter = async () => {
      const notice = await generateFormalNotice(db, {
        creditorId: creditor.id,
        debtorId: debtor.id,
        invoiceIds: [invoice.id],
        now,
        portalUrl: "http://localhost/p/x",
      });
      return fs.readFileSync(path.join(process.env.DATA_DIR!, "documents", notice.storagePath)).toString("latin1");
    };
    expect(await letter()).not.toContain("/Subtype /Image");
    await postMultipart(await staffOf(creditor.id, "OWNER"), FORM, { name: "logo.png", bytes: PNG, type: "image/png" });
    expect(await letter()).toContain("/Subtype /Image");
  });

  it("the public route reaches nothing but a creditor's own LOGO attachment", async () => {
    const db = database.get().prisma;
    const a = await makeCreditor(db);
    const b = await makeCreditor(db);
    await postMultipart(await staffOf(a.creditor.id, "OWNER"), FORM, { name: "logo.png", bytes: PNG, type: "image/png" });
    const aLogo = (await db.creditor.findUniqueOrThrow({ where: { id: a.creditor.id } })).logoAttachmentId!;
    // B's formal notice: a private document.
    const debtor = await makeDebtor(db, b.creditor.id);
    const now = new Date();
    const invoice = await makeInvoice(
      db,
      { creditorId: b.creditor.id, debtorId: debtor.id, policy: b.policy },
      { dueDate: new Date(now.getTime() - 40 * 86_400_000), now },
    );
    const notice = await generateFormalNotice(db, {
      creditorId: b.creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now,
      portalUrl: "http://localhost/p/x",
    });
    // Even if B's logo pointer named its notice, or A's logo, nothing is served.
    await db.creditor.update({ where: { id: b.creditor.id }, data: { logoAttachmentId: notice.id } });
    expect((await fetchLogo(b.creditor.id)).status).toBe(404);
    await db.creditor.update({ where: { id: b.creditor.id }, data: { logoAttachmentId: aLogo } });
    expect((await fetchLogo(b.creditor.id)).status).toBe(404);
    expect((await fetchLogo("no-such-creditor")).status).toBe(404);
    expect((await fetchLogo(a.creditor.id)).status).toBe(200);
  });
});

describe("/app/settings", () => {
  it("an owner saves valid settings", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const res = await post(owner, FORM);
    expect(res.status).toBe(200);
    const saved = await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } });
    expect(saved).toMatchObject({
      iban: "FR7630006000011234567890189",
      bic: "AGRIFRPP",
      portalLinkDays: 21,
      planMinInstallment: 7500,
      minPartialAmount: 2000,
      allowPartialPayments: true,
      lateInterestRateBps: 1250,
      brandColor: "#0f766e",
      jurisdiction: "FR",
    });
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.form).toMatchObject({ lateInterestMode: "contractual", lateInterestRate: "12.50", planMinInstallment: "75.00" });
    // Unticked checkbox = partial payments off.
    const { allowPartialPayments: _off, ...rest } = FORM;
    await post(owner, rest);
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).allowPartialPayments).toBe(false);
  });

  it("bad input comes back with the user's values and a message per field", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const res = await post(owner, {
      ...FORM,
      iban: "FR7630006000011234567890188",
      bic: "NOPE",
      lateInterestRate: "4",
      planMaxInstallments: "zéro",
    });
    expect(res.status).toBe(400);
    const lastResult = (await res.json()).lastResult!;
    expect(lastResult.error).toMatchObject({
      iban: ["intake.settings.errors.iban"],
      bic: ["intake.settings.errors.bic"],
      lateInterestRate: ["intake.settings.errors.rateFloor"],
      planMaxInstallments: ["intake.settings.errors.number"],
    });
    expect(lastResult.initialValue).toMatchObject({ iban: "FR7630006000011234567890188", lateInterestRate: "4", city: "Lyon" });
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).iban).toBeNull();
  });

  it("agents and viewers read but cannot change", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const agent = await staffOf(creditor.id, "AGENT");
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: agent } }), params: {}, context: {} })
    ).json();
    expect(page.canEdit).toBe(false);
    await expect(post(agent, FORM)).rejects.toMatchObject({ status: 403 });
    await expect(post(await staffOf(creditor.id, "VIEWER"), { intent: "create-key", name: "x" })).rejects.toMatchObject({ status: 403 });
  });

  it("an owner creates an API key (shown once) and revokes it", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const { key } = (await (await post(owner, { intent: "create-key", name: "ERP Sage" })).json()).created!;
    expect(key).toMatch(/^rl_/);
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).toMatchObject({ creditorId: creditor.id });
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.keys).toHaveLength(1);
    expect(JSON.stringify(page)).not.toContain(key);
    // Another creditor's owner cannot revoke it.
    const other = await makeCreditor(db);
    await post(await staffOf(other.creditor.id, "OWNER"), { intent: "revoke-key", keyId: page.keys[0]!.id });
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).not.toBeNull();
    await post(owner, { intent: "revoke-key", keyId: page.keys[0]!.id });
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).toBeNull();
  });
});
