import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays, fixedClock } from "~/domain/clock";
import { parseWording } from "~/domain/dunning/wording";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { runDunningTick } from "../dunning/tick.server";
import { sendPendingOutbox } from "./outbox.server";
import { previewDunningEmail, resetWording, saveWording } from "./wording.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
let stopMocks: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-wording-"));
  stopMocks = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stopMocks());

function wordingOf(subject: string, body: string) {
  const parsed = parseWording({ subject, body });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.wording;
}

/** A creditor with debtors whose invoice reaches the J+1 first reminder (tone STANDARD in the default calendar). */
async function creditorWithDebtors(brandName: string, debtors: Parameters<typeof makeDebtor>[2][]) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { brandName });
  const made = [];
  for (const overrides of debtors) {
    const debtor = await makeDebtor(db, creditor.id, overrides);
    const invoice = await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy },
      { dueDate: DUE, now: addDays(DUE, -20), amount: 1234_56 },
    );
    made.push({ debtor, invoice });
  }
  return { creditor, made };
}

describe("sending with a creditor's own wording", () => {
  it("every first reminder of that creditor uses it, filled with the email's figures; another creditor keeps the default", async () => {
    const db = database.get().prisma;
    const now = addDays(DUE, 1);
    const a = await creditorWithDebtors("Atelier Durand", [
      { name: "Boulangerie Martin", locale: "fr" },
      // A good payer's tone is softened to CORDIAL: nothing is written for it, so the level's STANDARD wording goes.
      { name: "Fromagerie Bon Payeur", locale: "fr", riskSegment: "GOOD" },
      { name: "Nordic Design", locale: "en" },
    ]);
    const b = await creditorWithDebtors("Studio Ocre", [{ name: "Café des Arts", locale: "fr" }]);
    const owner = await db.user.create({ data: { creditorId: a.creditor.id, email: "owner@a.test", name: "Owner", role: "OWNER" } });
    await saveWording(db, {
      creditorId: a.creditor.id,
      templateKey: "first_reminder",
      tone: "STANDARD",
      locale: "fr",
      wording: wordingOf(
        "{nom_debiteur}, {total_du} à régler depuis le {echeance_plus_ancienne}",
        "Bonjour {nom_debiteur},\n\nIl reste {total_du} sur la facture {numeros_factures} ({jours_de_retard} jour de retard). <i>{nom_creancier}</i>",
      ),
      actorUserId: owner.id,
      now,
    });

    for (const c of [a, b]) await runDunningTick(db, { now, creditorId: c.creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });

    const [martin, goodPayer, nordic] = a.made;
    for (const { debtor, invoice } of [martin!, goodPayer!]) {
      const [mail] = readEmails({ to: debtor.email! });
      // {total_du} is the total the email claims (balance + penalties + the €40), the same figure as its "Total" line.
      const claimed = /Total réclamé à ce jour : (.+)/.exec(mail!.text ?? "")?.[1]?.trim();
      expect(claimed).toMatch(/^1\u00a027\d,\d\d\u00a0€$/);
      expect(mail!.subject).toBe(`${debtor.name}, ${claimed} à régler depuis le 31/03/2026 — Atelier Durand`);
      expect(mail!.text).toContain(`Bonjour ${debtor.name},`);
      expect(mail!.text).toContain(`Il reste ${claimed} sur la facture ${invoice.number} (1 jour de retard). <i>Atelier Durand</i>`);
      expect(mail!.html).toContain("&lt;i&gt;Atelier Durand&lt;/i&gt;");
      expect(mail!.text).not.toContain("Sauf erreur de notre part");
      // Button and invoice table are still there.
      expect(mail!.text).toContain("Voir et payer\u00a0: ");
      expect(mail!.html).toMatch(/class="data-table"/);
      const trace = await db.communication.findFirstOrThrow({ where: { debtorId: debtor.id, kind: "dunning.email" } });
      expect(trace.subject).toBe(mail!.subject);
    }

    // Nothing written in English: the English debtor gets the default text.
    const [english] = readEmails({ to: nordic!.debtor.email! });
    expect(english!.subject).toBe(`Invoice ${nordic!.invoice.number}: payment reminder — Atelier Durand`);

    // The other creditor's debtor: the default text, untouched by Atelier Durand's wording.
    const [other] = readEmails({ to: b.made[0]!.debtor.email! });
    expect(other!.subject).toBe(`Facture ${b.made[0]!.invoice.number} : rappel de paiement — Studio Ocre`);
    expect(other!.text).toContain("Sauf erreur de notre part");
  });

  it("the wording written for the tone the email goes out in wins over the level's", async () => {
    const db = database.get().prisma;
    const now = addDays(DUE, 1);
    const a = await creditorWithDebtors("Atelier Durand", [{ name: "Fromagerie Bon Payeur", riskSegment: "GOOD" }]);
    const owner = await db.user.create({ data: { creditorId: a.creditor.id, email: "owner@b.test", name: "Owner", role: "OWNER" } });
    for (const [tone, subject] of [
      ["STANDARD", "Standard {nom_debiteur}"],
      ["CORDIAL", "Cordial {nom_debiteur}"],
    ] as const) {
      await saveWording(db, {
        creditorId: a.creditor.id,
        templateKey: "first_reminder",
        tone,
        locale: "fr",
        wording: wordingOf(subject, "Texte"),
        actorUserId: owner.id,
        now,
      });
    }
    await runDunningTick(db, { now, creditorId: a.creditor.id });
    await sendPendingOutbox(db, { clock: fixedClock(now) });
    const [mail] = readEmails({ to: a.made[0]!.debtor.email! });
    expect(mail!.subject).toBe("Cordial Fromagerie Bon Payeur — Atelier Durand");
  });

  it("the preview renders the saved wording until it is reset", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { brandName: "Atelier Durand" });
    const owner = await db.user.create({ data: { creditorId: creditor.id, email: "owner@c.test", name: "Owner", role: "OWNER" } });
    const key = { creditorId: creditor.id, templateKey: "penalties_notice", tone: "FIRM", locale: "fr" } as const;
    const now = new Date("2026-12-01T10:00:00Z");
    await saveWording(db, {
      ...key,
      wording: wordingOf("Dernier rappel {nom_debiteur}", "Réglez {total_du}."),
      actorUserId: owner.id,
      now,
    });
    const custom = await previewDunningEmail(db, { ...key, now });
    expect(custom.subject).toBe("Dernier rappel Client Exemple SARL — Atelier Durand");
    expect(custom.text).toMatch(/Réglez 1\u00a02\d\d,\d\d\u00a0€\./);
    expect(custom.text).toContain("L441-10");
    await resetWording(db, { ...key, actorUserId: owner.id, now });
    expect((await previewDunningEmail(db, { ...key, now })).subject).toBe("Facture F-EXEMPLE-1 : retard de paiement — Atelier Durand");
  });
});
