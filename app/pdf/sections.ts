import type { Locale } from "~/i18n";
import type { Claim } from "~/domain/statement/claim";
import { paragraph, percent, money, shortDate, table, type Doc, type T } from "./layout";
import type { CreditorIdentity, DebtorIdentity } from "./types";

/** Blocks shared by the formal notice, the dossier and the statement. */

/** "732 829 320": SIREN grouped as printed on Kbis extracts. */
function groupSiren(siren: string): string {
  const digits = siren.replace(/\s+/g, "");
  return /^\d{9}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : siren;
}

/**
 * The creditor's identity with the mentions of C. com. R123-237: legal form
 * and share capital, then "RCS <registry city>" before the SIREN (the plain
 * SIREN line when the registry city is not recorded).
 */
export function creditorLines(c: CreditorIdentity, t: T, locale: Locale): string[] {
  const form =
    c.legalForm && c.shareCapital != null
      ? t("documents.legalFormCapital", { form: c.legalForm, capital: money(c.shareCapital, "EUR", locale) })
      : (c.legalForm ?? null);
  return [
    c.legalName,
    form,
    ...c.addressLines,
    c.siren
      ? c.rcsCity
        ? t("documents.rcs", { city: c.rcsCity, siren: groupSiren(c.siren) })
        : t("documents.siren", { siren: c.siren })
      : null,
    c.vatNumber ? t("documents.vat", { vat: c.vatNumber }) : null,
    [c.contactEmail, c.contactPhone].filter(Boolean).join(" · ") || null,
  ].filter((l): l is string => !!l);
}

export function debtorLines(d: DebtorIdentity, t: T, opts: { withContact?: boolean } = {}): string[] {
  return [
    d.name,
    ...d.addressLines,
    d.legalId ? debtorIdLine(d, t) : null,
    opts.withContact ? [d.email, d.phone].filter(Boolean).join(" · ") || null : null,
  ].filter((l): l is string => !!l);
}

/** A business's 9 digits are its SIREN, 14 its SIRET: labelled as such; anything else stays a plain identifier. */
function debtorIdLine(d: DebtorIdentity, t: T): string {
  const digits = (d.legalId ?? "").replace(/\s+/g, "");
  if (d.kind === "BUSINESS" && /^\d{9}$/.test(digits)) return t("documents.siren", { siren: groupSiren(digits) });
  if (d.kind === "BUSINESS" && /^\d{14}$/.test(digits))
    return t("documents.siret", { siret: `${groupSiren(digits.slice(0, 9))} ${digits.slice(9)}` });
  return t("documents.legalId", { id: d.legalId ?? "" });
}

export function invoiceTable(doc: Doc, claim: Claim, t: T, locale: Locale) {
  const m = (v: number) => money(v, claim.currency, locale);
  table(
    doc,
    [
      { header: t("documents.col.number"), width: 0.2 },
      { header: t("documents.col.issueDate"), width: 0.13 },
      { header: t("documents.col.dueDate"), width: 0.13 },
      { header: t("documents.col.amount"), width: 0.15, align: "right" },
      { header: t("documents.col.paid"), width: 0.13, align: "right" },
      { header: t("documents.col.balance"), width: 0.15, align: "right" },
      { header: t("documents.col.daysLate"), width: 0.11, align: "right" },
    ],
    [
      ...claim.lines.map((l) => ({
        cells: [
          l.number,
          shortDate(l.issueDate, locale),
          shortDate(l.dueDate, locale),
          m(l.amount),
          m(l.paid),
          m(l.balance),
          String(l.daysLate),
        ],
      })),
      {
        cells: [
          t("documents.total"),
          "",
          "",
          m(claim.lines.reduce((s, l) => s + l.amount, 0)),
          m(claim.lines.reduce((s, l) => s + l.paid, 0)),
          m(claim.principal),
          "",
        ],
        strong: true,
      },
    ],
  );
}

export function claimSummary(doc: Doc, claim: Claim, t: T, locale: Locale) {
  const m = (v: number) => money(v, claim.currency, locale);
  const business = claim.debtorKind === "BUSINESS";
  const rows = [{ cells: [t("documents.claim.principal"), m(claim.principal)] }];
  if (business || claim.interest > 0) {
    rows.push({ cells: [t(business ? "documents.claim.interestBusiness" : "documents.claim.interestConsumer"), m(claim.interest)] });
  }
  // The €40 is never claimed from a consumer (CPCE L111-8): no line at all.
  if (business && claim.indemnityCount > 0) {
    rows.push({ cells: [`${t("documents.claim.indemnity")} × ${claim.indemnityCount}`, money(claim.indemnity, "EUR", locale)] });
  }
  table(
    doc,
    [
      { header: t("documents.col.item"), width: 0.72 },
      { header: t("documents.col.amount"), width: 0.28, align: "right" },
    ],
    [...rows, { cells: [t("documents.claim.total"), m(claim.total)], strong: true }],
  );
}

/** Per-period interest (rate, basis, days) and the indemnity per late invoice, then how it was computed. */
export function interestBreakdown(doc: Doc, claim: Claim, t: T, locale: Locale) {
  const m = (v: number) => money(v, claim.currency, locale);
  const business = claim.debtorKind === "BUSINESS";
  const rows: { cells: string[]; strong?: boolean }[] = [];
  for (const line of claim.lines) {
    for (const p of line.charges?.interest.periods ?? []) {
      rows.push({
        cells: [
          line.number,
          shortDate(p.from, locale),
          shortDate(p.to, locale),
          String(p.days),
          m(p.principal),
          `${percent(p.rateBps, locale)}${p.estimated ? " *" : ""}`,
          t(`documents.basis.${p.basis}`),
          m(p.amount),
        ],
      });
    }
  }
  if (business) {
    for (const line of claim.lines) {
      if (line.charges?.indemnity && !line.charges.indemnity.waived) {
        rows.push({
          cells: [
            t("documents.claim.indemnityRow", { number: line.number }),
            "",
            "",
            "",
            "",
            "",
            "C. com. D441-5",
            money(line.charges.indemnity.amount, "EUR", locale),
          ],
        });
      }
    }
  }
  if (rows.length === 0) {
    paragraph(doc, t("documents.interest.none"), { muted: true });
    return;
  }
  table(
    doc,
    [
      { header: t("documents.col.number"), width: 0.2 },
      { header: t("documents.col.from"), width: 0.11 },
      { header: t("documents.col.to"), width: 0.11 },
      { header: t("documents.col.days"), width: 0.07, align: "right" },
      { header: t("documents.col.principal"), width: 0.14, align: "right" },
      { header: t("documents.col.rate"), width: 0.09, align: "right" },
      { header: t("documents.col.basis"), width: 0.14 },
      { header: t("documents.col.amount"), width: 0.14, align: "right" },
    ],
    [
      ...rows,
      { cells: [t("documents.total"), "", "", "", "", "", "", m(claim.interest + (business ? claim.indemnity : 0))], strong: true },
    ],
  );
  paragraph(doc, t("documents.interest.formula"), { muted: true, size: 8.5 });
  if (business) {
    paragraph(
      doc,
      claim.contractualRateBps != null
        ? t("documents.interest.contractualRate", { rate: percent(claim.contractualRateBps, locale) })
        : t("documents.interest.businessRate"),
      { muted: true, size: 8.5 },
    );
  }
  if (claim.estimated) paragraph(doc, t("documents.interest.estimated"), { muted: true, size: 8.5 });
}
