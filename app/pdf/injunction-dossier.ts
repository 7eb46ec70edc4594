import { chooseCourt, type PrescriptionWatch } from "~/domain/legal";
import type { Locale, MessageKey } from "~/i18n";
import type { Claim } from "~/domain/statement/claim";
import {
  block,
  contentWidth,
  createDocument,
  dateTime,
  finish,
  heading,
  longDate,
  PAGE,
  paragraph,
  shortDate,
  table,
  title,
  translator,
} from "./layout";
import { claimSummary, creditorLines, debtorLines, interestBreakdown, invoiceTable } from "./sections";
import type { CreditorIdentity, DebtorIdentity } from "./types";

type Channel = "EMAIL" | "CALL" | "LETTER" | "PORTAL" | "PAYMENT" | "SYSTEM" | "SMS";
type Delivery = "QUEUED" | "SENT" | "DELIVERED" | "BOUNCED" | "COMPLAINED" | "FAILED" | "NOT_APPLICABLE";

export type InjunctionDossierData = {
  reference: string;
  date: Date;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  claim: Claim;
  /** The latest formal notice generated for this debtor, and how it went out. */
  formalNotice: {
    fileName: string;
    createdAt: Date;
    delivery: { channel: Channel; occurredAt: Date; recipient: string | null; status: Delivery } | null;
  } | null;
  /** Consumers: when the formal notice was sent (interest runs from it); null = no sending recorded. */
  noticeSentAt?: Date | null;
  /** Per invoice: when the claim is time-barred and from which starting point. */
  prescriptions?: { number: string; watch: PrescriptionWatch; start: Date; startedFrom: "DELIVERY" | "DUE_DATE" }[];
  /** Every communication with the debtor, oldest first. */
  trace: { occurredAt: Date; channel: Channel; direction: "IN" | "OUT"; kind: string; subject: string | null; deliveryStatus: Delivery }[];
};

/**
 * The hand-off bundle for a requête en injonction de payer: the data the
 * court form asks for (Cerfa 12946 / 12948 and the court, chosen by
 * `chooseCourt`; the European procedure or a lawyer for a debtor abroad),
 * not a copy of the form — parties and the creditor's representative, claim
 * breakdown, its basis (C. pr. civ. 1407), invoices, the prior formal notice
 * and its delivery, the written trace in order, the numbered exhibits, the
 * 1408 option, place, date and signature.
 */
export async function buildInjunctionDossier(data: InjunctionDossierData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim } = data;
  const court = chooseCourt(debtor, data.date);
  const doc = createDocument({
    title: `${t("documents.dossier.title")} — ${debtor.name}`,
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.date,
    locale,
  });
  const width = contentWidth(doc);
  const date = longDate(data.date, locale);

  title(doc, t("documents.dossier.title"), t("documents.dossier.reference", { reference: data.reference, date }));
  if (court.procedure === "FR_INJUNCTION") {
    paragraph(doc, t("documents.dossier.form", { form: court.form.label[locale] }), { bold: true });
    paragraph(
      doc,
      t("documents.dossier.court", { court: court.courtName[locale], place: debtor.city ?? t("documents.dossier.unknownPlace") }),
    );
    if (court.tae) paragraph(doc, t("documents.dossier.courtTae"), { size: 8.5 });
    paragraph(doc, t("documents.dossier.courtAddress"), { size: 8.5 });
  } else if (court.procedure === "EU_ORDER_FOR_PAYMENT") {
    paragraph(doc, t("documents.dossier.eu", { country: court.country, regulation: court.regulation, form: court.formName }), {
      bold: true,
    });
  } else {
    paragraph(doc, t("documents.dossier.abroad", { country: court.country }), { bold: true });
  }
  paragraph(doc, t("documents.dossier.notForm"), { muted: true, size: 8.5 });

  heading(doc, t("documents.dossier.parties"));
  const top = doc.y;
  const representative = creditor.legalRepresentative
    ? t("documents.dossier.representative", { name: creditor.legalRepresentative })
    : t("documents.dossier.representativeMissing");
  const left = block(doc, [...creditorLines(creditor, t, locale), representative], PAGE.margin, top, width * 0.48, {
    label: t("documents.dossier.claimant"),
  });
  const right = block(
    doc,
    [...debtorLines(debtor, t, { withContact: true }), t(`documents.kind.${debtor.kind}`)],
    PAGE.margin + width * 0.52,
    top,
    width * 0.48,
    {
      label: t("documents.dossier.defendant"),
    },
  );
  doc.x = PAGE.margin;
  doc.y = Math.max(left, right) + 8;

  heading(doc, t("documents.dossier.claim", { date }));
  claimSummary(doc, claim, t, locale);
  if (claim.debtorKind === "BUSINESS" || claim.interest > 0) interestBreakdown(doc, claim, t, locale);
  if (claim.debtorKind === "CONSUMER") {
    paragraph(
      doc,
      data.noticeSentAt
        ? t("documents.dossier.noticeSent", { date: longDate(data.noticeSentAt, locale) })
        : t("documents.dossier.noticeNotSent"),
      { size: 8.5 },
    );
  }

  heading(doc, t("documents.dossier.basis"));
  paragraph(doc, t("documents.dossier.basisIntro"));
  for (const line of claim.lines) {
    paragraph(
      doc,
      `• ${t("documents.dossier.basisLine", { number: line.number, date: shortDate(line.issueDate, locale), nature: line.description ?? t("documents.dossier.basisNoDescription") })}`,
    );
  }
  paragraph(doc, t("documents.dossier.contract"));
  for (const p of data.prescriptions ?? []) {
    const from =
      p.startedFrom === "DELIVERY"
        ? t("documents.dossier.prescriptionDelivery", { date: shortDate(p.start, locale) })
        : t("documents.dossier.prescriptionDue", { date: shortDate(p.start, locale) });
    paragraph(
      doc,
      t("documents.dossier.prescription", { number: p.number, date: longDate(p.watch.expiresAt, locale), basis: p.watch.basis, from }),
      { size: 8.5 },
    );
  }

  heading(doc, t("documents.dossier.invoices"));
  invoiceTable(doc, claim, t, locale);

  heading(doc, t("documents.dossier.notice"));
  if (!data.formalNotice) {
    paragraph(doc, t("documents.dossier.noticeNone"), { bold: true });
  } else {
    paragraph(
      doc,
      t("documents.dossier.noticeRef", { file: data.formalNotice.fileName, date: longDate(data.formalNotice.createdAt, locale) }),
    );
    const d = data.formalNotice.delivery;
    paragraph(
      doc,
      d
        ? t("documents.dossier.noticeDelivery", {
            channel: t(`documents.channel.${d.channel}` as MessageKey),
            date: dateTime(d.occurredAt, locale, creditor.timeZone ?? undefined),
            recipient: d.recipient ?? "—",
            status: t(`documents.delivery.${d.status}` as MessageKey),
          })
        : t("documents.dossier.noticeNoDelivery"),
    );
  }

  heading(doc, t("documents.dossier.trace"));
  if (data.trace.length === 0) {
    paragraph(doc, t("documents.dossier.traceEmpty"), { muted: true });
  } else {
    table(
      doc,
      [
        { header: t("documents.dossier.col.date"), width: 0.17 },
        { header: t("documents.dossier.col.channel"), width: 0.12 },
        { header: t("documents.dossier.col.direction"), width: 0.09 },
        { header: t("documents.dossier.col.event"), width: 0.5 },
        { header: t("documents.dossier.col.status"), width: 0.12 },
      ],
      data.trace.map((c) => ({
        cells: [
          dateTime(c.occurredAt, locale, creditor.timeZone ?? undefined),
          t(`documents.channel.${c.channel}` as MessageKey),
          t(`documents.dossier.direction.${c.direction}` as MessageKey),
          c.subject ? `${c.subject} (${c.kind})` : c.kind,
          t(`documents.delivery.${c.deliveryStatus}` as MessageKey),
        ],
      })),
    );
  }

  heading(doc, t("documents.dossier.exhibitsHeading"));
  let n = 0;
  for (const line of claim.lines)
    paragraph(doc, t("documents.dossier.exhibitInvoice", { n: ++n, number: line.number, date: shortDate(line.issueDate, locale) }));
  paragraph(doc, t("documents.dossier.exhibitContract", { n: ++n }));
  if (data.formalNotice) paragraph(doc, t("documents.dossier.exhibitNotice", { n: ++n, file: data.formalNotice.fileName }));
  paragraph(doc, t("documents.dossier.exhibitStatement", { n: ++n }));

  heading(doc, t("documents.dossier.procedure"));
  if (court.procedure === "FR_INJUNCTION") {
    paragraph(doc, t("documents.dossier.option1408"));
    paragraph(doc, t("documents.dossier.deadlines", { serve: court.form.serviceDeadlineMonths }));
  }

  doc.moveDown(0.8);
  paragraph(doc, creditor.city ? t("documents.dossier.signature", { place: creditor.city, date }) : t("documents.date", { date }));
  doc.moveDown(1.5);
  paragraph(
    doc,
    t("documents.dossier.signatureLine", { name: creditor.legalRepresentative ?? creditor.signatoryName ?? creditor.legalName }),
    { bold: true },
  );

  return finish(doc, (page, pages) => t("documents.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }));
}
