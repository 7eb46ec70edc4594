import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { addDays, fixedClock } from "~/domain/clock";
import { openPortalSession } from "~/utils/portal-session.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { loader as staffDocumentLoader } from "../../routes/app.documents.$attachmentId";
import { loader as invoicePdfLoader } from "../../routes/portal.invoices.$invoiceId.pdf";
import { loader as statementLoader } from "../../routes/portal.statement[.pdf]";
import { recordCommunication } from "../messaging/communications.server";
import { runDunningTick } from "../dunning/tick.server";
import {
  buildPortalStatement,
  documentsRoot,
  findCreditorDocument,
  generateFormalNotice,
  generateInjunctionDossier,
  readDocument,
} from "./documents.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { getPortalHome } from "../portal/home.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const NOW = new Date("2026-05-15T09:00:00Z");
const PORTAL = "http://localhost:3000/p/sample-token";
const IBAN = "FR76 3000 6000 0112 3456 7890 189";
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-documents-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

/**
 * The PDF's text as a reader would copy it (pdf.js, the viewer in Firefox: no
 * system tool needed), every run of white space (incl. no-break spaces) folded to one space.
 */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  await pdf.destroy();
  return pages.join("\n").replace(/\s+/g, " ");
}

async function setup(opts: { kind?: "BUSINESS" | "CONSUMER"; locale?: "fr" | "en" } = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    iban: IBAN,
    bic: "AGRIFRPP",
    addressLine1: "12 rue des Tanneurs",
    postalCode: "69002",
    city: "Lyon",
  });
  const debtor = await makeDebtor(db, creditor.id, {
    kind: opts.kind ?? "BUSINESS",
    locale: opts.locale ?? "fr",
    name: "Bistrot des Canuts",
  });
  await db.debtor.update({ where: { id: debtor.id }, data: { addressLine1: "4 place Sathonay", postalCode: "69001", city: "Lyon" } });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: DUE, amount: 1_200_00, now: addDays(DUE, -30), number: "F-2026-0142" },
  );
  return { db, creditor, policy, debtor, invoice };
}

describe("formal notice (mise en demeure)", () => {
  it("business debtor: invoices, L441-10 interest and the €40 equal to the hand computation, total, deadline, how to pay", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    const attachment = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
      portalUrl: PORTAL,
    });
    expect(attachment).toMatchObject({ kind: "FORMAL_NOTICE", contentType: "application/pdf", creditorId: creditor.id });
    const bytes = await readDocument(attachment);
    expect(bytes.byteLength).toBe(attachment.size);
    expect(path.resolve(documentsRoot(), attachment.storagePath).startsWith(path.resolve(process.env.DATA_DIR!, "documents"))).toBe(true);
    const text = await pdfText(bytes);

    // 1 200,00 € due 31 March 2026, unpaid, as of 15 May 2026. Interest runs from the day after the due date:
    // 1 April → 15 May = 30 + 15 = 45 days, all in 2026-H1, rate = ECB MRO on 1 Jan 2026 (2.15 %) + 10 points = 12.15 %.
    // 1 200.00 × 12.15 % × 45 / 365 = 17.9753… → 17,98 €. Indemnity: 40,00 € (one late invoice).
    // Total claimed: 1 200,00 + 17,98 + 40,00 = 1 257,98 €. Deadline: 15 May + 8 days = 23 May 2026.
    expect(text).toContain("Mise en demeure");
    expect(text).toContain("F-2026-0142");
    expect(text).toContain("1 200,00 €");
    expect(text).toContain("12,15 %");
    expect(text).toContain("L441-10");
    expect(text).toContain("17,98 €");
    expect(text).toContain("40,00 €");
    expect(text).toContain("1 257,98 €");
    expect(text).toContain("23 mai 2026");
    expect(text).toContain(IBAN);
    expect(text).toContain(debtor.transferReference);
    expect(text).toContain(PORTAL);
    expect(text).toContain("tribunal des activités économiques de Lyon");
    expect(text).toContain("Cerfa 12946");
    expect(text).toContain(creditor.legalName);
    expect(text).toContain("4 place Sathonay");
  });

  it("consumer debtor: legal rate from the notice only, no €40 indemnity and no commercial rate", async () => {
    const { db, creditor, debtor, invoice } = await setup({ kind: "CONSUMER" });
    const attachment = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
      portalUrl: PORTAL,
    });
    const text = await pdfText(await readDocument(attachment));
    expect(text).toContain("Mise en demeure");
    expect(text).toContain("F-2026-0142");
    // Legal interest rate (professional creditor) for 2026-H1: 2.62 %, running from this notice: nothing due yet.
    expect(text).toContain("2,62 %");
    expect(text).not.toContain("40,00 €");
    expect(text).not.toContain("40 €");
    expect(text).not.toContain("L441-10");
    expect(text).not.toContain("12,15");
    expect(text).toContain("Total réclamé 1 200,00 €");
    expect(text).toContain("tribunal judiciaire");
    expect(text).toContain("Cerfa 12948");
  });

  it("English debtor: English letter", async () => {
    const { db, creditor, debtor, invoice } = await setup({ locale: "en" });
    const attachment = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
      portalUrl: PORTAL,
    });
    expect(attachment.fileName).toMatch(/^formal-notice-MED-20260515-/);
    const text = await pdfText(await readDocument(attachment));
    expect(text).toContain("Formal notice");
    expect(text).not.toContain("Mise en demeure");
    expect(text).toContain("€17.98");
    expect(text).toContain("€1,257.98");
    expect(text).toContain("23 May 2026");
  });

  it("refuses invoices of another debtor", async () => {
    const { db, creditor, policy, debtor } = await setup();
    const other = await makeDebtor(db, creditor.id);
    const theirs = await makeInvoice(db, { creditorId: creditor.id, debtorId: other.id, policy }, { dueDate: DUE, now: addDays(DUE, -30) });
    await expect(
      generateFormalNotice(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [theirs.id], now: NOW, portalUrl: PORTAL }),
    ).rejects.toThrow(/No open invoice/);
  });
});

describe("injonction de payer dossier", () => {
  it("parties, claim, invoices, the formal notice and its delivery, and the trace in order", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    await recordCommunication(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      subject: "Rappel — facture F-2026-0142",
      deliveryStatus: "DELIVERED",
      actorType: "SYSTEM",
      occurredAt: addDays(DUE, 1),
    });
    const email = await recordCommunication(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      recipient: debtor.email,
      subject: "Mise en demeure de payer — facture F-2026-0142",
      deliveryStatus: "DELIVERED",
      actorType: "SYSTEM",
      occurredAt: NOW,
    });
    const notice = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
      portalUrl: PORTAL,
      communicationId: email.id,
    });
    const later = addDays(NOW, 15);
    const dossier = await generateInjunctionDossier(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: later,
    });
    expect(dossier.kind).toBe("INJUNCTION_DOSSIER");
    const text = await pdfText(await readDocument(dossier));
    expect(text).toContain("Cerfa 12946");
    // The debtor is in Lyon, a tribunal des activités économiques since 1 January 2025 (arrêté du 5 juillet 2024).
    expect(text).toContain("Juridiction compétente : Tribunal des activités économiques de Lyon");
    expect(text).toContain("F-2026-0142");
    // As of 30 May 2026: 1 April → 30 May = 60 days; 1 200.00 × 12.15 % × 60 / 365 = 23.967… → 23,97 €.
    // Total: 1 200,00 + 23,97 + 40,00 = 1 263,97 €.
    expect(text).toContain("23,97 €");
    expect(text).toContain("1 263,97 €");
    expect(text).toContain(notice.fileName);
    expect(text).toMatch(/statut : remis/);
    const first = text.indexOf("Rappel — facture F-2026-0142");
    const second = text.indexOf("Mise en demeure de payer — facture F-2026-0142");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
  });

  it("a consumer goes to the tribunal judiciaire (Cerfa 12948); no notice yet is said plainly", async () => {
    const { db, creditor, debtor, invoice } = await setup({ kind: "CONSUMER" });
    const dossier = await generateInjunctionDossier(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
    });
    const text = await pdfText(await readDocument(dossier));
    expect(text).toContain("Cerfa 12948");
    expect(text).toContain("Aucune mise en demeure trouvée");
    expect(text).not.toContain("40,00 €");
  });
});

describe("portal statement", () => {
  it("lists only this debtor's open invoices, with the portal's late-charge figures", async () => {
    const { db, creditor, policy, debtor } = await setup();
    const second = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: addDays(NOW, 10), amount: 500_00, now: addDays(DUE, -30), number: "F-2026-0190" },
    );
    const other = await makeDebtor(db, creditor.id);
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: other.id, policy },
      { dueDate: DUE, now: addDays(DUE, -30), number: "F-2026-0999" },
    );
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };
    const text = await pdfText(await buildPortalStatement(db, identity, NOW, "fr"));
    expect(text).toContain("Relevé de compte");
    expect(text).toContain("F-2026-0142");
    expect(text).toContain(second.number);
    expect(text).not.toContain("F-2026-0999");
    const home = await getPortalHome(db, identity, NOW);
    expect(home.lateCharges).toMatchObject({ interest: 17_98, indemnity: 40_00 });
    expect(text).toContain("17,98 €");
    expect(text).toContain("Total dû 1 700,00 €");
  });
});

describe("PDF routes are scoped", () => {
  async function portalCookie(creditorId: string, debtorId: string) {
    const setCookie = await openPortalSession({ creditorId, debtorId, accessLinkId: "test" }, new Request("http://localhost/p/x"));
    return setCookie.split(";")[0]!;
  }

  it("a debtor gets its own invoice PDF and statement; another debtor's invoice is 404", async () => {
    const { db, creditor, policy, debtor, invoice } = await setup();
    const other = await makeDebtor(db, creditor.id);
    const theirs = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: other.id, policy },
      { dueDate: DUE, now: addDays(DUE, -30), number: "F-OTHER-1" },
    );
    const cookie = await portalCookie(creditor.id, debtor.id);
    const get = (url: string) => new Request(url, { headers: { Cookie: cookie } });

    const own = await invoicePdfLoader({
      request: get(`http://localhost/portal/invoices/${invoice.id}/pdf`),
      params: { invoiceId: invoice.id },
      context: {},
    });
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("application/pdf");
    expect(await pdfText(new Uint8Array(await own.arrayBuffer()))).toContain("F-2026-0142");

    const denied = await invoicePdfLoader({
      request: get(`http://localhost/portal/invoices/${theirs.id}/pdf`),
      params: { invoiceId: theirs.id },
      context: {},
    }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Response);
    expect((denied as Response).status).toBe(404);

    const statement = await statementLoader({ request: get("http://localhost/portal/statement.pdf"), params: {}, context: {} });
    const text = await pdfText(new Uint8Array(await statement.arrayBuffer()));
    expect(text).toContain("F-2026-0142");
    expect(text).not.toContain("F-OTHER-1");

    const anonymous = await statementLoader({
      request: new Request("http://localhost/portal/statement.pdf"),
      params: {},
      context: {},
    }).catch((e: unknown) => e);
    expect((anonymous as Response).status).toBe(302);
  });

  it("staff download only their own creditor's documents", async () => {
    const { db, creditor, debtor, invoice } = await setup();
    const notice = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: NOW,
      portalUrl: PORTAL,
    });
    const { creditor: otherCreditor } = await makeCreditor(db);
    const request = async (creditorId: string) => {
      const user = await db.user.create({
        data: { creditorId, email: `staff-${crypto.randomUUID()}@example.test`, name: "Agent", role: "AGENT" },
      });
      const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
      return new Request(`http://localhost/app/documents/${notice.id}`, { headers: { Cookie: cookie } });
    };
    const mine = await staffDocumentLoader({ request: await request(creditor.id), params: { attachmentId: notice.id }, context: {} });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("Content-Disposition")).toContain("attachment");
    expect(await pdfText(new Uint8Array(await mine.arrayBuffer()))).toContain("Mise en demeure");
    const theirs = await staffDocumentLoader({
      request: await request(otherCreditor.id),
      params: { attachmentId: notice.id },
      context: {},
    }).catch((e: unknown) => e);
    expect((theirs as Response).status).toBe(404);
    expect(await findCreditorDocument(db, otherCreditor.id, notice.id)).toBeNull();
  });
});

describe("dunning sender attaches the documents to its tasks", () => {
  async function runLetterAndHandoff(db: ReturnType<typeof database.get>["prisma"], creditorId: string) {
    for (const day of [45, 60]) {
      const now = addDays(DUE, day);
      await db.dunningState.updateMany({ where: { creditorId }, data: { level: day === 45 ? 5 : 6, nextActionAt: now } });
      await runDunningTick(db, { now, creditorId });
      await sendPendingOutbox(db, { clock: fixedClock(now) });
    }
  }

  it("LETTER task → formal notice linked to the email that carried it; HANDOFF task → dossier citing it", async () => {
    const { db, creditor, debtor } = await setup();
    await runLetterAndHandoff(db, creditor.id);
    const letter = await db.task.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "LETTER" }, include: { attachments: true } });
    expect(letter.attachments.map((a) => a.kind)).toEqual(["FORMAL_NOTICE"]);
    const email = await db.communication.findFirstOrThrow({
      where: { creditorId: creditor.id, debtorId: debtor.id, kind: "dunning.email", templateKey: "formal_notice" },
    });
    expect(letter.attachments[0]!.communicationId).toBe(email.id);
    // The email carries the letter itself: the same PDF bytes.
    const sent = readEmails({ to: debtor.email! }).filter((m) => m.attachments?.length);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("jointe à ce message (PDF)");
    expect(sent[0]!.attachments![0]).toMatchObject({ filename: letter.attachments[0]!.fileName, contentType: "application/pdf" });
    expect(Buffer.from(sent[0]!.attachments![0]!.content, "base64").equals(await readDocument(letter.attachments[0]!))).toBe(true);
    const noticeText = await pdfText(await readDocument(letter.attachments[0]!));
    expect(noticeText).toContain("F-2026-0142");
    // The magic link is long and wraps on paper (the QR code carries it whole).
    expect(noticeText.replaceAll(" ", "")).toMatch(/http:\/\/localhost:3000\/p\/[\w-]+\.[\w-]+\.[\w-]+/);

    const handoff = await db.task.findFirstOrThrow({ where: { creditorId: creditor.id, kind: "HANDOFF" }, include: { attachments: true } });
    expect(handoff.attachments.map((a) => a.kind)).toEqual(["INJUNCTION_DOSSIER"]);
    const dossierText = await pdfText(await readDocument(handoff.attachments[0]!));
    expect(dossierText).toContain(letter.attachments[0]!.fileName);
    expect(dossierText).toMatch(/statut : envoyé/);
  });

  it("a document that cannot be built does not stop the task", async () => {
    const { db, creditor } = await setup();
    // A file where the creditor's documents folder should be: every write fails.
    fs.mkdirSync(documentsRoot(), { recursive: true });
    fs.writeFileSync(path.join(documentsRoot(), creditor.id), "not a folder");
    await runLetterAndHandoff(db, creditor.id);
    const tasks = await db.task.findMany({ where: { creditorId: creditor.id }, include: { attachments: true }, orderBy: { dueAt: "asc" } });
    expect(tasks.map((t) => [t.kind, t.attachments.length])).toEqual([
      ["LETTER", 0],
      ["HANDOFF", 0],
    ]);
  });
});
