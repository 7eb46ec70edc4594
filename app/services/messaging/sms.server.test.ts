import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { readSms } from "../../providers/mocks/twilio";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { loader as shortLinkLoader } from "../../routes/s.$code";
import { runDunningTick } from "../dunning/tick.server";
import { checkPortalLink } from "../portal/access.server";
import { sendPendingOutbox } from "./outbox.server";
import { resolveShortCode } from "./short-links.server";
import { smsBody } from "./sms.server";
import { gsmLength } from "~/domain/sms";

const database = useTestDatabase();
/** Thursday 26 March 2026; the SMS level (J+1) is due on Friday 27th. Paris moves to summer time on Sunday 29th. */
const DUE = new Date("2026-03-26T00:00:00Z");
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-sms-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true, sms: true });
});
afterAll(() => stopMocks());

/** A creditor whose J+1 step is an SMS, one debtor with a French mobile, one invoice; the tick has queued the SMS. */
async function smsDue(phone: string | null = "06 12 34 56 78") {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { brandName: "Atelier Durand" });
  await db.dunningLevel.updateMany({ where: { policyId: policy.id, position: 2 }, data: { channel: "SMS", templateKey: "sms_reminder" } });
  const debtor = await db.debtor.update({ where: { id: (await makeDebtor(db, creditor.id)).id }, data: { phone } });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: DUE, amount: 123_456, now: addDays(DUE, -20) },
  );
  await runDunningTick(db, { now: new Date("2026-03-27T05:00:00Z"), creditorId: creditor.id });
  const row = await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id, channel: "SMS" } });
  expect(row.templateKey).toBe("sms_reminder");
  return { db, creditor, debtor, invoice };
}

const smsTo = (to: string) => readSms({ to });

describe("SMS reminders", () => {
  it("sends an SMS level through the stand-in at an allowed hour: E.164 number, short link, status callback, traced", async () => {
    const { db, creditor, debtor, invoice } = await smsDue("06 12 34 56 78");
    // Friday 27 March, 10:00 in Paris (CET, UTC+1).
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    const sent = smsTo("+33612345678");
    expect(sent).toHaveLength(1);
    const sms = sent[0]!;
    expect(sms.body).toMatch(/^Atelier Durand : 1 234,56 € reste du \(facture /);
    expect(sms.body).toContain(invoice.number);
    const link = /http:\/\/localhost:3000\/s\/([A-Za-z0-9]{12})/.exec(sms.body);
    expect(link).not.toBeNull();
    expect(gsmLength(sms.body)).toBeLessThanOrEqual(160);

    const trace = await db.communication.findFirstOrThrow({ where: { creditorId: creditor.id, debtorId: debtor.id, kind: "dunning.sms" } });
    expect(trace).toMatchObject({
      channel: "SMS",
      recipient: "+33612345678",
      providerMessageId: sms.sid,
      deliveryStatus: "SENT",
      bodyText: sms.body,
    });
    expect(sms.statusCallback).toBe(`http://localhost:3000/webhooks/sms?c=${trace.id}`);
    expect(await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id, channel: "SMS" } })).toMatchObject({
      status: "SENT",
    });

    // The short link opens this debtor's portal with the invoice selected.
    const location = await resolveShortCode(db, link![1]!);
    expect(location).toMatch(new RegExp(`^/p/[\\w-]+\\.[\\w-]+\\.[\\w-]+\\?select=${invoice.id}$`));
    const check = await checkPortalLink(db, location!.slice(3).split("?")[0]!, fixedClock("2026-03-27T09:05:00Z"));
    expect(check).toMatchObject({ ok: true, debtorId: debtor.id, creditorId: creditor.id });

    // Run again (a second worker pass, a redelivered row): nothing more goes out.
    await db.outboxMessage.updateMany({
      where: { creditorId: creditor.id },
      data: { status: "PENDING", availableAt: new Date("2026-03-27T09:00:00Z") },
    });
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:10:00Z") });
    expect(smsTo("+33612345678")).toHaveLength(1);
  });

  it("holds an SMS due on Saturday at 21:30 in Paris until Monday 09:00 (Sundays off), then sends it", async () => {
    const { db, creditor } = await smsDue("+33 6 98 76 54 32");
    // Saturday 28 March, 21:30 in Paris (still CET: 20:30 UTC).
    const report = await sendPendingOutbox(db, { clock: fixedClock("2026-03-28T20:30:00Z") });
    expect(report.failed + report.retried).toBe(0);
    expect(smsTo("+33698765432")).toHaveLength(0);
    const held = await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id, channel: "SMS" } });
    // Monday 30 March, 09:00 in Paris — summer time by then (UTC+2): 07:00 UTC.
    expect(held).toMatchObject({ status: "PENDING", attempts: 0, availableAt: new Date("2026-03-30T07:00:00Z") });
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.sms" } })).toBe(0);

    // Sunday noon: still nothing (not yet available).
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-29T10:00:00Z") });
    expect(smsTo("+33698765432")).toHaveLength(0);

    await sendPendingOutbox(db, { clock: fixedClock("2026-03-30T07:00:00Z") });
    expect(smsTo("+33698765432")).toHaveLength(1);
  });

  it("follows the creditor's own hours and days", async () => {
    const { db, creditor } = await smsDue("+33 7 81 22 33 44");
    await db.creditor.update({
      where: { id: creditor.id },
      data: { smsWindowStart: 14 * 60, smsWindowEnd: 17 * 60, smsDays: [1, 2, 3, 4, 5] },
    });
    // Friday 10:00 Paris: before 14:00 → held to 14:00 the same day.
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    expect((await db.outboxMessage.findFirstOrThrow({ where: { creditorId: creditor.id, channel: "SMS" } })).availableAt).toEqual(
      new Date("2026-03-27T13:00:00Z"),
    );
    expect(smsTo("+33781223344")).toHaveLength(0);
  });

  it("an invalid phone gives staff a FIND_CONTACT task and sends nothing; a fixed line is no mobile either", async () => {
    const { db, creditor, debtor } = await smsDue("12 34");
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id, debtorId: debtor.id, kind: "FIND_CONTACT" } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.title).toContain("Numéro de mobile");
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "dunning.sms" } })).toBe(0);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "task.find_contact" } })).toBe(1);

    const landline = await smsDue("01 42 68 53 00");
    await sendPendingOutbox(landline.db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    expect(await db.task.count({ where: { creditorId: landline.creditor.id, kind: "FIND_CONTACT" } })).toBe(1);
    expect(smsTo("+33142685300")).toHaveLength(0);
  });

  it("a debtor who replied STOP is skipped, and the trace says so", async () => {
    const { db, creditor, debtor } = await smsDue("+33 6 55 44 33 22");
    await db.debtor.update({ where: { id: debtor.id }, data: { smsOptOutAt: new Date("2026-03-20T10:00:00Z") } });
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    expect(smsTo("+33655443322")).toHaveLength(0);
    expect(await db.communication.count({ where: { creditorId: creditor.id, kind: "sms.skipped_opt_out" } })).toBe(1);
  });

  it("the short link resolves only to its own debtor, expires with the link, and an unknown code is a 404", async () => {
    const { db, creditor } = await smsDue("+33 6 01 02 03 04");
    const other = await makeDebtor(db, creditor.id);
    await sendPendingOutbox(db, { clock: fixedClock("2026-03-27T09:00:00Z") });
    const code = /\/s\/([A-Za-z0-9]{12})/.exec(smsTo("+33601020304")[0]!.body)![1]!;
    const response = await shortLinkLoader({ params: { code }, request: new Request(`http://localhost:3000/s/${code}`), context: {} });
    expect(response.status).toBe(302);
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    const token = response.headers.get("Location")!.slice(3).split("?")[0]!;
    const link = await db.accessLink.findUniqueOrThrow({ where: { shortCode: code } });
    const fresh = await checkPortalLink(db, token, fixedClock("2026-03-28T09:00:00Z"));
    expect(fresh.ok && fresh.debtorId).toBe(link.debtorId);
    expect(fresh.ok && fresh.debtorId).not.toBe(other.id);
    // After the creditor's link lifetime (30 days): expired, like the long link.
    expect(await checkPortalLink(db, token, fixedClock(addDays(link.expiresAt, 1)))).toEqual({ ok: false, reason: "expired" });
    // Revoked by staff: the short code leads to a revoked link.
    await db.accessLink.update({ where: { id: link.id }, data: { revokedAt: new Date("2026-03-27T12:00:00Z") } });
    const again = (await resolveShortCode(db, code))!.slice(3).split("?")[0]!;
    expect(await checkPortalLink(db, again, fixedClock("2026-03-28T09:00:00Z"))).toEqual({ ok: false, reason: "revoked" });

    for (const bad of ["AAAAAAAAAAAA", "short", `${code}x`]) {
      const answer = await shortLinkLoader({
        params: { code: bad },
        request: new Request(`http://localhost:3000/s/${bad}`),
        context: {},
      }).catch((r: Response) => r);
      expect(answer.status).toBe(404);
    }
  });
});

describe("the SMS wording", () => {
  it("fits one GSM-7 segment in French and English, folding what GSM-7 lacks, and shortens for a long name", () => {
    const link = "https://paiement.atelier-durand.fr/s/AbCdEfGhJk23";
    const fr = smsBody("fr", { creditor: "Atelier Durand", amount: "1\u202f234,56\u00a0€", invoices: ["F-2026-0042"], link });
    expect(fr.segments).toBe(1);
    expect(fr.body).toContain(link);
    expect(fr.body).toContain("1 234,56 €");
    expect(fr.body).toContain("STOP");
    const en = smsBody("en", { creditor: "Atelier Durand", amount: "€1,234.56", invoices: ["F-1", "F-2", "F-3"], link });
    expect(en.body).toContain("3 invoices");
    expect(en.length).toBeLessThanOrEqual(160);
    const long = smsBody("fr", {
      creditor: "Société Générale des Crêpes et Pâtisseries de Bretagne",
      amount: "12 345,67 €",
      invoices: ["F-2026-00001"],
      link,
    });
    expect(long.segments).toBe(1);
    expect(long.body).toContain(link);
    expect(long.body).not.toMatch(/[êâ]/);
  });
});
