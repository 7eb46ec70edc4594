import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { addDays, fixedClock } from "~/domain/clock";
import { renderEmail, type DunningEmailProps } from "../../../emails/index";
import { sampleBase, sampleInvoices } from "../../../emails/_components/preview-data";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { generateFormalNotice, readDocument } from "../documents/documents.server";
import { runDunningTick } from "../dunning/tick.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { sendQueuedReply } from "../inbound/replies-send.server";
import { openPortalSession } from "~/utils/portal-session.server";
import { loader as portalLayoutLoader } from "../../routes/portal";

/** C. conso. L616-1, R616-1: every email and document to a consumer names the creditor's consumer mediator (name, website / address). */
const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const MEDIATOR = { name: "CM2C", url: "https://www.cm2c.net", address: "14 rue Saint-Jean, 75017 Paris" };
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-consumer-mediator-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

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

function reminder(kind: "CONSUMER" | "BUSINESS", locale: "fr" | "en" = "fr"): DunningEmailProps {
  return {
    ...sampleBase,
    locale,
    creditor: { ...sampleBase.creditor, consumerMediator: MEDIATOR },
    debtor: { name: "Jeanne Petit", kind },
    portalUrl: "https://pay.example.test/p/abc.def.ghi",
    tone: "STANDARD",
    invoices: sampleInvoices,
    totalDue: sampleInvoices.reduce((sum, i) => sum + i.amountDue, 0),
    currency: "EUR",
  };
}

async function creditorWith(kind: "CONSUMER" | "BUSINESS") {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    consumerMediatorName: MEDIATOR.name,
    consumerMediatorUrl: MEDIATOR.url,
    consumerMediatorAddr: MEDIATOR.address,
  });
  const debtor = await makeDebtor(db, creditor.id, { kind });
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate: DUE, now: addDays(DUE, -20) });
  return { db, creditor, debtor, invoice };
}

describe("the consumer mediator named to consumers", () => {
  it("a consumer's email names the mediator in its footer (HTML and text, FR and EN); a business's never does", async () => {
    for (const locale of ["fr", "en"] as const) {
      const email = await renderEmail("first_reminder", reminder("CONSUMER", locale));
      for (const part of [email.html, email.text]) {
        expect(part).toContain("CM2C");
        expect(part).toContain("https://www.cm2c.net");
        expect(part).toContain("14 rue Saint-Jean, 75017 Paris");
      }
      expect(email.text).toContain(locale === "fr" ? "Médiation de la consommation" : "Consumer mediation");
    }
    const business = await renderEmail("first_reminder", reminder("BUSINESS"));
    expect(business.html).not.toContain("CM2C");
    expect(business.text).not.toContain("Médiation de la consommation");
  });

  it("the reminder the sender emails to a consumer names the creditor's mediator", async () => {
    const { db, creditor, debtor } = await creditorWith("CONSUMER");
    const now = addDays(DUE, 1);
    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const [mail] = readEmails({ to: debtor.email! });
    expect(mail!.text).toContain("CM2C · https://www.cm2c.net");
  });

  it("a consumer's formal notice names the mediator; a business's does not", async () => {
    const consumer = await creditorWith("CONSUMER");
    const now = addDays(DUE, 45);
    const portalUrl = "http://localhost:3000/p/sample";
    const letter = await generateFormalNotice(consumer.db, {
      creditorId: consumer.creditor.id,
      debtorId: consumer.debtor.id,
      invoiceIds: [consumer.invoice.id],
      now,
      portalUrl,
    });
    const text = await pdfText(await readDocument(letter));
    expect(text).toContain("Médiation de la consommation (C. conso. art. L612-1)");
    expect(text).toContain("CM2C · https://www.cm2c.net · 14 rue Saint-Jean, 75017 Paris");

    const business = await creditorWith("BUSINESS");
    const other = await generateFormalNotice(business.db, {
      creditorId: business.creditor.id,
      debtorId: business.debtor.id,
      invoiceIds: [business.invoice.id],
      now,
      portalUrl,
    });
    expect(await pdfText(await readDocument(other))).not.toContain("CM2C");
  });

  it("the portal footer names the mediator to a consumer, not to a business", async () => {
    const footer = async (kind: "CONSUMER" | "BUSINESS") => {
      const { creditor, debtor } = await creditorWith(kind);
      const cookie = (
        await openPortalSession({ creditorId: creditor.id, debtorId: debtor.id, accessLinkId: "test" }, new Request("http://localhost/p/x"))
      ).split(";")[0]!;
      const response = await portalLayoutLoader({
        request: new Request("http://localhost/portal", { headers: { Cookie: cookie } }),
        params: {},
        context: {},
      });
      return (await response.json()) as { mediator: string | null; creditor: Record<string, unknown> };
    };
    const consumer = await footer("CONSUMER");
    expect(consumer.mediator).toBe(
      "Médiation de la consommation : en cas de litige non résolu, vous pouvez recourir gratuitement à CM2C · https://www.cm2c.net · 14 rue Saint-Jean, 75017 Paris.",
    );
    expect(consumer.creditor).not.toHaveProperty("consumerMediatorName");
    expect((await footer("BUSINESS")).mediator).toBeNull();
  });

  it("a staff member's own reply to a consumer carries the mention too; to a business it does not", async () => {
    for (const kind of ["CONSUMER", "BUSINESS"] as const) {
      const { db, creditor, debtor } = await creditorWith(kind);
      const payload = {
        to: debtor.email!,
        subject: "Re: votre facture",
        text: "Bonjour, voici notre réponse.",
        inReplyTo: null,
        references: [],
        invoiceCopies: [],
        statement: false,
        actorId: "staff",
        kind: "email.staff_reply",
      };
      const row = { id: `row-${debtor.id}`, creditorId: creditor.id, debtorId: debtor.id, idempotencyKey: `reply:${debtor.id}`, payload };
      expect(await sendQueuedReply(db, row, fixedClock(DUE))).toEqual({ status: "sent" });
      const [mail] = readEmails({ to: debtor.email! });
      if (kind === "CONSUMER") expect(mail!.text).toContain("recourir gratuitement à CM2C · https://www.cm2c.net");
      else expect(mail!.text).not.toContain("CM2C");
    }
  });
});
