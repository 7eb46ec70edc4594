import type { Claim } from "~/domain/statement/claim";
import type { Attempt } from "~/domain/mediation/attempts";
import type { MediationKind, Mediator } from "~/domain/mediation/mediator";
import type { Locale, MessageKey } from "~/i18n";
import { disputeReasonLabel, eventLabel } from "~/i18n/labels";
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
import { creditorLines, debtorLines, invoiceTable } from "./sections";
import type { CreditorIdentity, DebtorIdentity } from "./types";

type Channel = "EMAIL" | "CALL" | "LETTER" | "PORTAL" | "PAYMENT" | "SYSTEM" | "SMS";
type Delivery = "QUEUED" | "SENT" | "DELIVERED" | "BOUNCED" | "COMPLAINED" | "FAILED" | "NOT_APPLICABLE";

export type MediationDossierData = {
  reference: string;
  date: Date;
  kind: MediationKind;
  mediator: Mediator;
  creditor: CreditorIdentity;
  debtor: DebtorIdentity;
  /** Staff's words on what the dispute is about; null = unpaid invoices after the reminders. */
  subject: string | null;
  /** The invoices handed over, with amounts, paid and balances. */
  claim: Claim;
  attempts: Attempt[];
  disputes: { createdAt: Date; number: string; reason: string; status: string; message: string }[];
  /** Every communication and event with the debtor, oldest first. */
  trace: { occurredAt: Date; channel: Channel; direction: "IN" | "OUT"; kind: string; subject: string | null; deliveryStatus: Delivery }[];
};

/**
 * The referral file for the mediator (decision 027), built like the
 * injonction dossier: the mediator and the legal frame, the parties, what the
 * dispute is about, the invoices with their amounts and balances, the
 * amicable steps already taken, the disputes and their reasons, then the
 * whole written trace in order. Every code is printed as words.
 */
export async function buildMediationDossier(data: MediationDossierData, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { creditor, debtor, claim, mediator } = data;
  const doc = createDocument({
    title: `${t("mediation.dossier.title")} — ${debtor.name}`,
    author: creditor.legalName,
    logo: creditor.logo,
    date: data.date,
    locale,
  });
  const width = contentWidth(doc);
  const date = longDate(data.date, locale);
  const zone = creditor.timeZone ?? undefined;

  title(doc, t("mediation.dossier.title"), t("mediation.dossier.reference", { reference: data.reference, date }));
  paragraph(doc, t("mediation.dossier.mediator", { name: mediator.name }), { bold: true });
  if (mediator.url) paragraph(doc, t("mediation.dossier.mediatorUrl", { url: mediator.url }));
  if (mediator.address) paragraph(doc, t("mediation.dossier.mediatorAddress", { address: mediator.address }));
  paragraph(doc, t(`mediation.dossier.basis.${data.kind}`), { muted: true, size: 8.5 });

  heading(doc, t("mediation.dossier.parties"));
  const top = doc.y;
  const left = block(doc, creditorLines(creditor, t, locale), PAGE.margin, top, width * 0.48, { label: t("mediation.dossier.claimant") });
  const right = block(
    doc,
    [...debtorLines(debtor, t, { withContact: true }), t(`documents.kind.${debtor.kind}`)],
    PAGE.margin + width * 0.52,
    top,
    width * 0.48,
    { label: t("mediation.dossier.respondent") },
  );
  doc.x = PAGE.margin;
  doc.y = Math.max(left, right) + 8;

  heading(doc, t("mediation.dossier.subject"));
  paragraph(doc, data.subject?.trim() || t("mediation.dossier.noSubject"));

  heading(doc, t("mediation.dossier.invoices", { date }));
  invoiceTable(doc, claim, t, locale);

  heading(doc, t("mediation.dossier.attempts"));
  if (data.attempts.length === 0) paragraph(doc, t("mediation.dossier.attemptsNone"), { muted: true });
  for (const a of data.attempts) {
    paragraph(
      doc,
      `• ${t("mediation.dossier.attempt", { label: t(`mediation.dossier.attempt.${a.kind}`), count: a.count, date: shortDate(a.last, locale) })}`,
    );
  }

  heading(doc, t("mediation.dossier.disputes"));
  if (data.disputes.length === 0) paragraph(doc, t("mediation.dossier.disputesNone"), { muted: true });
  for (const d of data.disputes) {
    paragraph(
      doc,
      `• ${t("mediation.dossier.dispute", {
        date: shortDate(d.createdAt, locale),
        number: d.number,
        reason: disputeReasonLabel(locale, d.reason),
        status: t(`bo.disputeStatus.${d.status}` as MessageKey),
        message: d.message,
      })}`,
    );
  }

  heading(doc, t("mediation.dossier.trace"));
  if (data.trace.length === 0) {
    paragraph(doc, t("mediation.dossier.traceEmpty"), { muted: true });
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
          dateTime(c.occurredAt, locale, zone),
          t(`documents.channel.${c.channel}` as MessageKey),
          t(`documents.dossier.direction.${c.direction}` as MessageKey),
          c.subject ? `${eventLabel(locale, c.kind)} — ${c.subject}` : eventLabel(locale, c.kind),
          t(`documents.delivery.${c.deliveryStatus}` as MessageKey),
        ],
      })),
    );
  }

  doc.moveDown(0.8);
  paragraph(doc, creditor.city ? t("mediation.dossier.signature", { place: creditor.city, date }) : t("documents.date", { date }));
  doc.moveDown(1.5);
  paragraph(
    doc,
    t("documents.dossier.signatureLine", { name: creditor.legalRepresentative ?? creditor.signatoryName ?? creditor.legalName }),
    { bold: true },
  );

  return finish(doc, (page, pages) =>
    t("mediation.dossier.footer", { creditor: creditor.legalName, reference: data.reference, page, pages }),
  );
}
