import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { formatAmount } from "~/components/money";
import { addDays, fixedClock } from "~/domain/clock";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { generateFormalNotice, readDocument } from "../documents/documents.server";
import { runDunningTick } from "../dunning/tick.server";
import { sendPendingOutbox } from "../messaging/outbox.server";
import { getPortalHome } from "../portal/home.server";
import { debtorClaim } from "./claim.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-claim-"));
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
const fold = (s: string) => s.replace(/\s+/g, " ");

describe("one amount everywhere", () => {
  it("business debtor: the portal total = the mise en demeure's total = the penalties email's total, penalties included", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const debtor = await makeDebtor(db, creditor.id, { kind: "BUSINESS", locale: "fr" });
    const a = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: DUE, amount: 9_400_00, now: addDays(DUE, -30) },
    );
    const b = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: DUE, amount: 3_000_00, now: addDays(DUE, -30) },
    );
    const now = addDays(DUE, 30);

    await runDunningTick(db, { now, creditorId: creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const [mail] = readEmails({ to: debtor.email! });
    const portal = await getPortalHome(db, { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" }, now);
    const letter = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [a.id, b.id],
      now,
      portalUrl: "http://x",
    });
    const letterText = await pdfText(await readDocument(letter));

    const { claim } = await debtorClaim(db, { creditorId: creditor.id, debtorId: debtor.id, now });
    // 12 400 € of invoices, 30 days late, 12.15 %: 12 400 × 12.15 % × 30 / 365 = 123.83 €, plus 2 × 40 €.
    expect(claim).toMatchObject({ principal: 12_400_00, interest: 123_83, indemnity: 80_00, total: 12_603_83 });
    expect(portal.claim.total).toBe(claim.total);
    expect(portal.totals.claimed).toBe(claim.total);
    const total = fold(formatAmount(claim.total, "EUR", "fr"));
    expect(letterText).toContain(total);
    expect(fold(mail!.text ?? "")).toContain(`Total réclamé à ce jour : ${total}`);
  });
});
