/**
 * Renders sample generated documents (no database): a formal notice and an
 * injonction de payer dossier, as PDFs and page-1 PNGs in docs/screenshots/.
 *   npx tsx scripts/render-documents.ts [outDir] [--keep-pdf]
 * Needs `pdftoppm` (poppler-utils) for the PNGs.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { computeClaim } from "~/domain/statement/claim";
import { buildFormalNotice } from "~/pdf/formal-notice";
import { buildInjunctionDossier } from "~/pdf/injunction-dossier";
import type { CreditorIdentity, DebtorIdentity } from "~/pdf/types";

const args = process.argv.slice(2);
const outDir = path.resolve(args.find((a) => !a.startsWith("--")) ?? "docs/screenshots");
const keepPdf = args.includes("--keep-pdf");
const NOW = new Date("2026-05-15T09:00:00Z");
const creditor: CreditorIdentity = {
  legalName: "Atelier Durand SAS",
  siren: "732829320",
  vatNumber: "FR44732829320",
  addressLines: ["12 rue des Tanneurs", "69002 Lyon"],
  city: "Lyon",
  contactEmail: "compta@atelier-durand.test",
  contactPhone: "04 72 00 00 00",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "AGRIFRPP",
};
const debtor: DebtorIdentity = {
  name: "Bistrot des Canuts SARL",
  kind: "BUSINESS",
  legalId: "SIREN 552100554",
  addressLines: ["4 place Sathonay", "69001 Lyon"],
  city: "Lyon",
  email: "gerance@bistrot-canuts.test",
  phone: "06 12 34 56 78",
  transferReference: "RF18D000123",
};
const invoices = [
  {
    id: "a",
    number: "F-2026-0142",
    issueDate: new Date("2026-03-01"),
    dueDate: new Date("2026-03-31"),
    amount: 120_000,
    amountPaid: 0,
    amountCredited: 0,
    currency: "EUR",
    payments: [],
  },
  {
    id: "b",
    number: "F-2026-0157",
    issueDate: new Date("2026-03-10"),
    dueDate: new Date("2026-04-09"),
    amount: 84_050,
    amountPaid: 30_000,
    amountCredited: 0,
    currency: "EUR",
    payments: [{ date: new Date("2026-04-20"), amount: 30_000 }],
  },
];
const claim = computeClaim(invoices, NOW, { debtorKind: "BUSINESS", jurisdiction: "FR", contractualRateBps: null });
const portalUrl = "http://localhost:3000/p/eyJhbGciOiJIUzI1NiJ9.sample.signature";

const notice = await buildFormalNotice(
  {
    reference: "MED-20260515-SAMPLE",
    date: NOW,
    deadline: addDays(NOW, 8),
    creditor,
    debtor,
    claim,
    portalUrl,
    sentBy: { registeredLetter: true, email: true },
  },
  "fr",
);
const later = addDays(NOW, 15);
const dossier = await buildInjunctionDossier(
  {
    reference: "IP-20260530-SAMPLE",
    date: later,
    creditor,
    debtor,
    claim: computeClaim(invoices, later, { debtorKind: "BUSINESS", jurisdiction: "FR", contractualRateBps: null }),
    formalNotice: {
      fileName: "mise-en-demeure-MED-20260515-SAMPLE.pdf",
      createdAt: NOW,
      delivery: { channel: "EMAIL", occurredAt: NOW, recipient: debtor.email!, status: "DELIVERED" },
    },
    trace: [
      {
        occurredAt: new Date("2026-03-23T08:00:00Z"),
        channel: "EMAIL",
        direction: "OUT",
        kind: "dunning.email",
        subject: "Facture F-2026-0142 : échéance le 31 mars",
        deliveryStatus: "DELIVERED",
      },
      {
        occurredAt: new Date("2026-04-01T08:00:00Z"),
        channel: "EMAIL",
        direction: "OUT",
        kind: "dunning.email",
        subject: "Rappel — facture F-2026-0142",
        deliveryStatus: "DELIVERED",
      },
      {
        occurredAt: new Date("2026-04-02T13:12:00Z"),
        channel: "PORTAL",
        direction: "IN",
        kind: "portal.link_opened",
        subject: null,
        deliveryStatus: "NOT_APPLICABLE",
      },
      {
        occurredAt: new Date("2026-04-20T10:03:00Z"),
        channel: "PAYMENT",
        direction: "IN",
        kind: "payment.succeeded",
        subject: "Paiement reçu 300,00 €",
        deliveryStatus: "NOT_APPLICABLE",
      },
      {
        occurredAt: new Date("2026-04-30T08:00:00Z"),
        channel: "SYSTEM",
        direction: "OUT",
        kind: "task.call",
        subject: "Appeler le client",
        deliveryStatus: "NOT_APPLICABLE",
      },
      {
        occurredAt: NOW,
        channel: "EMAIL",
        direction: "OUT",
        kind: "dunning.email",
        subject: "Mise en demeure de payer — 2 factures",
        deliveryStatus: "DELIVERED",
      },
    ],
  },
  "fr",
);

fs.mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of [
  ["formal-notice", notice],
  ["injunction-dossier", dossier],
] as const) {
  const pdf = path.join(outDir, `${name}.pdf`);
  fs.writeFileSync(pdf, bytes);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, path.join(outDir, name)]);
  if (!keepPdf) fs.rmSync(pdf);
  console.log(path.join(outDir, `${name}.png`));
}
