import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { addDays } from "~/domain/clock";
import { makeCreditor, makeDebtor, makeInvoice } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { recordCommunication } from "../messaging/communications.server";
import { getPortalHome } from "../portal/home.server";
import { loadSettings, saveSettings, settingsSchemaFor } from "../backoffice/settings.server";
import { buildPortalStatement, generateFormalNotice, generateInjunctionDossier, readDocument } from "./documents.server";

const database = useTestDatabase();
const DUE = new Date("2026-03-31T00:00:00Z");
const PORTAL = "http://localhost:3000/p/sample-token";

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-legal-mentions-"));
});

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

async function setup(opts: { kind?: "BUSINESS" | "CONSUMER"; debtor?: Record<string, unknown>; creditor?: Record<string, unknown> } = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    addressLine1: "12 rue des Tanneurs",
    postalCode: "69002",
    city: "Lyon",
    ...opts.creditor,
  });
  const debtor = await makeDebtor(db, creditor.id, { kind: opts.kind ?? "BUSINESS", name: "Atelier Rivière" });
  await db.debtor.update({
    where: { id: debtor.id },
    data: { addressLine1: "3 quai Perrache", postalCode: "69002", city: "Lyon", ...opts.debtor },
  });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: DUE, amount: 1_200_00, now: addDays(DUE, -30), number: "F-2026-0301" },
  );
  return { db, creditor, debtor, invoice };
}

const MENTIONS = {
  legalForm: "SAS",
  shareCapital: 10_000_00,
  rcsCity: "Lyon",
  signatoryName: "Claire Martin",
  signatoryRole: "Présidente",
  legalRepresentative: "Claire Martin, présidente",
};

describe("the letter's mentions (C. com. R123-237) and what it says", () => {
  it("signatory and role, '1er' for the first of the month, legal form, capital, RCS city, the debtor's SIREN, interest until payment, registered letter only when posted", async () => {
    const { db, creditor, debtor, invoice } = await setup({ creditor: MENTIONS, debtor: { legalId: "552100554" } });
    const first = new Date("2026-06-01T09:00:00Z");
    const task = await db.task.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, kind: "LETTER", title: "Mise en demeure", dueAt: first },
    });
    const posted = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: first,
      portalUrl: PORTAL,
      taskId: task.id,
    });
    const text = await pdfText(await readDocument(posted));
    expect(text).toContain("Lyon, le 1er juin 2026");
    expect(text).toContain("SAS au capital de 10 000,00 €");
    expect(text).toContain("RCS Lyon 732 829 320");
    expect(text).toContain("SIREN 552 100 554");
    expect(text).not.toContain("Identifiant : 552100554");
    expect(text).toContain("Claire Martin, Présidente");
    expect(text).not.toContain("Le service comptabilité");
    expect(text).toContain("Les intérêts continuent de courir jusqu'au complet paiement");
    expect(text).toContain("Lettre recommandée avec demande d'avis de réception — copie adressée par e-mail");

    const emailed = await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: first,
      portalUrl: PORTAL,
    });
    const emailText = await pdfText(await readDocument(emailed));
    expect(emailText).not.toContain("recommandée");
    expect(emailText).toContain("Envoyée par e-mail");
  });
});

describe("the dossier (C. pr. civ. 1407, 1408)", () => {
  it("the creditor's representative, the basis of the claim, numbered exhibits, the 1408 option, court address line, place, date and signature", async () => {
    const { db, creditor, debtor, invoice } = await setup({ creditor: MENTIONS });
    await db.invoice.update({
      where: { id: invoice.id },
      data: { description: "Maintenance des machines, mars 2026", deliveredAt: new Date("2026-03-15") },
    });
    const dossier = await generateInjunctionDossier(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: new Date("2026-12-01T10:00:00Z"),
    });
    const text = await pdfText(await readDocument(dossier));
    expect(text).toContain("Représenté par : Claire Martin, présidente");
    expect(text).toContain("Facture F-2026-0301 du 01/03/2026 : Maintenance des machines, mars 2026");
    expect(text).toContain("Pièce n° 1 : facture F-2026-0301 du 01/03/2026");
    expect(text).toContain("Pièce n° 2 : contrat, bon de commande ou conditions générales acceptées");
    expect(text).toContain("Pièce n° 3 : le présent décompte");
    expect(text).toContain("Option (C. pr. civ. 1408)");
    expect(text).toContain("Adresse du greffe");
    expect(text).toContain("Fait à Lyon, le 1er décembre 2026");
    expect(text).toContain("Signature du demandeur ou de son représentant : Claire Martin, présidente");
    // Prescription from the delivery date: 15 March 2026 + 5 years.
    expect(text).toContain(
      "délai expirant le 15 mars 2031 (C. com. L110-4) ; point de départ retenu : livraison / achèvement de la prestation du 15/03/2026",
    );
  });

  it("an association is not a merchant: tribunal judiciaire, Cerfa 12948, even in Lyon", async () => {
    const { db, creditor, debtor, invoice } = await setup({ debtor: { legalForm: "ASSOCIATION" } });
    const text = await pdfText(
      await readDocument(
        await generateInjunctionDossier(db, {
          creditorId: creditor.id,
          debtorId: debtor.id,
          invoiceIds: [invoice.id],
          now: new Date("2026-12-01"),
        }),
      ),
    );
    expect(text).toContain("Cerfa 12948");
    expect(text).toContain("Juridiction compétente : Tribunal judiciaire");
    expect(text).not.toContain("activités économiques");
  });

  it("a debtor in Germany: no French injonction; the European order for payment (Reg. 1896/2006, form A), in the dossier and the letter", async () => {
    const { db, creditor, debtor, invoice } = await setup({ debtor: { country: "DE", city: "Berlin", postalCode: "10115" } });
    const now = new Date("2026-12-01T10:00:00Z");
    const dossier = await pdfText(
      await readDocument(
        await generateInjunctionDossier(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now }),
      ),
    );
    expect(dossier).not.toContain("Cerfa");
    expect(dossier).not.toContain("C. pr. civ. 1408");
    expect(dossier).toContain("Procédure européenne d'injonction de payer, règlement (CE) n° 1896/2006, requête sur le formulaire A");
    const letter = await pdfText(
      await readDocument(
        await generateFormalNotice(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now, portalUrl: PORTAL }),
      ),
    );
    expect(letter).not.toContain("Cerfa");
    expect(letter).toContain("procédure européenne d'injonction de payer");
  });
});

describe("consumer interest runs from the sending of the formal notice, the same everywhere", () => {
  it("generated but not sent: no interest on the portal, the statement or the dossier; once posted (letter.sent), the same interest on all three", async () => {
    const { db, creditor, debtor, invoice } = await setup({ kind: "CONSUMER" });
    const noticeDay = new Date("2026-05-15T09:00:00Z");
    const task = await db.task.create({
      data: { creditorId: creditor.id, debtorId: debtor.id, kind: "LETTER", title: "Mise en demeure", dueAt: noticeDay },
    });
    await generateFormalNotice(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      invoiceIds: [invoice.id],
      now: noticeDay,
      portalUrl: PORTAL,
      taskId: task.id,
    });
    const asOf = new Date("2026-06-14T09:00:00Z");
    const identity = { creditorId: creditor.id, debtorId: debtor.id, sessionId: "s" };

    expect((await getPortalHome(db, identity, asOf)).lateCharges.interest).toBe(0);
    const unsent = await pdfText(
      await readDocument(
        await generateInjunctionDossier(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now: asOf }),
      ),
    );
    expect(unsent).toContain("Aucun envoi de la mise en demeure n'est enregistré");
    expect(unsent).toContain("Total réclamé 1 200,00 €");

    // Staff post it on 16 May (the registered letter's number goes into the trace).
    await recordCommunication(db, {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "LETTER",
      kind: "letter.sent",
      subject: "Mise en demeure",
      bodyText: "1A 234 567 8901 2",
      actorType: "STAFF",
      data: { taskId: task.id, registeredLetterNumber: "1A 234 567 8901 2" },
      occurredAt: new Date("2026-05-16T10:00:00Z"),
    });
    // 17 May → 14 June = 29 days at the legal rate 2.62 % (2026-H1): 120 000 × 262 × 29 / 3 650 000 = 249.8 → 250 cents (2,50 €).
    expect((await getPortalHome(db, identity, asOf)).lateCharges.interest).toBe(2_50);
    const sent = await pdfText(
      await readDocument(
        await generateInjunctionDossier(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now: asOf }),
      ),
    );
    expect(sent).toContain("à partir de l'envoi de la mise en demeure, le 16 mai 2026");
    expect(sent).toContain("Total réclamé 1 202,50 €");
    const statement = await pdfText(await buildPortalStatement(db, identity, asOf, "fr"));
    expect(statement).toContain("2,50 €");
  });
});

describe("creditor settings carry the letter's mentions", () => {
  it("legal form, capital, RCS city, signatory and representative are saved from the settings form and read back", async () => {
    const { db, creditor } = await setup();
    const { form } = await loadSettings(db, creditor.id);
    const parsed = settingsSchemaFor("EUR", new Date("2026-12-01")).parse({
      ...form,
      legalForm: "SARL",
      shareCapital: "7 500",
      rcsCity: "Villefranche-sur-Saône",
      signatoryName: "Paul Roux",
      signatoryRole: "Gérant",
      legalRepresentative: "Paul Roux, gérant",
      portalLinkDays: Number(form.portalLinkDays),
      planMaxInstallments: Number(form.planMaxInstallments),
      planMaxMonths: Number(form.planMaxMonths),
      planMinDownPaymentPc: Number(form.planMinDownPaymentPc),
      planGraceDays: Number(form.planGraceDays),
      promiseMaxDays: Number(form.promiseMaxDays),
    });
    await saveSettings(db, creditor.id, parsed);
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      legalForm: "SARL",
      shareCapital: 7_500_00,
      rcsCity: "Villefranche-sur-Saône",
      signatoryName: "Paul Roux",
      signatoryRole: "Gérant",
      legalRepresentative: "Paul Roux, gérant",
    });
    expect((await loadSettings(db, creditor.id)).form).toMatchObject({ shareCapital: "7500.00", legalForm: "SARL" });
  });
});

describe("a semester with no published rate is said to be estimated, consumer letter included", () => {
  it("a consumer letter dated 1 December 2026 says the legal rate is estimated; once the semester is stored, it no longer does", async () => {
    const { db, creditor, debtor, invoice } = await setup({ kind: "CONSUMER" });
    const now = new Date("2026-12-01T09:00:00Z");
    const estimated = await pdfText(
      await readDocument(
        await generateFormalNotice(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now, portalUrl: PORTAL }),
      ),
    );
    expect(estimated).toContain("2,62 % (taux estimé : le taux du semestre n'est pas encore publié)");
    await db.legalRateRecord.create({
      data: {
        creditorId: creditor.id,
        rateTable: "FR_LEGAL_PROFESSIONAL",
        semester: "2026-H2",
        bps: 250,
        source: "Arrêté de juin 2026 (JORF)",
        origin: "STAFF",
      },
    });
    const recorded = await pdfText(
      await readDocument(
        await generateFormalNotice(db, { creditorId: creditor.id, debtorId: debtor.id, invoiceIds: [invoice.id], now, portalUrl: PORTAL }),
      ),
    );
    expect(recorded).toContain("2,50 %");
    expect(recorded).not.toContain("estimé");
  });
});
