import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { FRENCH_TIME_ZONE, formatMomentIn } from "~/domain/clock";
import { formatMoney } from "~/domain/money";
import { makeT, type Locale, type MessageKey } from "~/i18n";

/**
 * Shared drawing helpers for the generated PDFs (pdfkit, the 14 standard
 * fonts: nothing to embed or download). Standard fonts are WinAnsi-encoded,
 * so every string goes through `clean`: Intl's narrow no-break space (French
 * thousands separator) becomes a plain no-break space.
 */
export type Doc = PDFKit.PDFDocument;
export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const PAGE = { margin: 56, top: 50, bottom: 64 } as const;
const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const MUTED = "#555555";
const RULE = "#bbbbbb";
const SHADE = "#f0f0f0";

export function clean(text: string): string {
  return text.replace(/[\u202f\u2009]/g, "\u00a0");
}

export function translator(locale: Locale): T {
  const t = makeT(locale);
  return (key, vars) => clean(t(key, vars));
}

export function money(minor: number, currency: string, locale: Locale): string {
  return clean(formatMoney(minor, currency, locale));
}

/** A calendar date (UTC), long form: "15 mai 2026", "1er juin 2026" / "15 May 2026". */
export function longDate(date: Date, locale: Locale): string {
  const text = clean(new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(date));
  // French writes the first of the month as an ordinal: "1er décembre 2026".
  return locale === "fr" && date.getUTCDate() === 1 ? text.replace(/^1(?=\s)/, "1er") : text;
}

/** A calendar date (UTC), numeric: "15/05/2026". */
export function shortDate(date: Date, locale: Locale): string {
  return clean(new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "short", timeZone: "UTC" }).format(date));
}

/** A moment of the trace on the creditor's clock (Europe/Paris by default), as the court and the debtor read it. */
export function dateTime(date: Date, locale: Locale, timeZone: string = FRENCH_TIME_ZONE): string {
  return clean(formatMomentIn(date, { locale, timeZone, style: "short" }).text);
}

/** Basis points as a percentage: 1215 → "12,15 %" / "12.15%". */
export function percent(bps: number, locale: Locale): string {
  return clean(
    new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { style: "percent", minimumFractionDigits: 2 }).format(bps / 10_000),
  );
}

/** `logo`: the creditor's PNG/JPEG, drawn top-left of the first page (at most 160 × 48 pt), the content starting below it. */
export function createDocument(meta: { title: string; author: string; date: Date; locale: Locale; logo?: Buffer | null }): Doc {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    lang: meta.locale === "fr" ? "fr-FR" : "en-GB",
    // A fixed creation date keeps the bytes a function of the data.
    info: { Title: clean(meta.title), Author: clean(meta.author), Creator: "relance", CreationDate: meta.date },
  });
  doc.font(FONT).fontSize(10).fillColor("black");
  if (meta.logo) {
    try {
      doc.image(meta.logo, PAGE.margin, PAGE.top, { fit: [160, 48] });
      doc.x = PAGE.margin;
      doc.y = PAGE.top + 48 + 12;
    } catch {
      // An unreadable image leaves the letter without a logo rather than without a letter.
      doc.y = PAGE.top;
    }
  }
  return doc;
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Writes the footer on every page, then ends the document and collects its bytes. */
export function finish(doc: Doc, footer: (page: number, pages: number) => string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would otherwise open a new page.
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(clean(footer(i + 1, range.count)), PAGE.margin, doc.page.height - 40, {
        width: contentWidth(doc),
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

export function ensureSpace(doc: Doc, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function title(doc: Doc, text: string, subtitle?: string) {
  doc
    .font(BOLD)
    .fontSize(16)
    .fillColor("black")
    .text(clean(text), PAGE.margin, doc.y, { width: contentWidth(doc) });
  if (subtitle)
    doc
      .font(FONT)
      .fontSize(10)
      .fillColor(MUTED)
      .text(clean(subtitle), { width: contentWidth(doc) });
  doc.fillColor("black").font(FONT).fontSize(10).moveDown(0.8);
}

/** A section heading, kept on the same page as the first `keepWith` points of its section. */
export function heading(doc: Doc, text: string, keepWith = 50) {
  ensureSpace(doc, keepWith);
  doc.moveDown(0.6);
  doc
    .font(BOLD)
    .fontSize(11.5)
    .fillColor("black")
    .text(clean(text), PAGE.margin, doc.y, { width: contentWidth(doc) });
  doc.font(FONT).fontSize(10).moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, opts: { bold?: boolean; muted?: boolean; size?: number } = {}) {
  doc
    .font(opts.bold ? BOLD : FONT)
    .fontSize(opts.size ?? 10)
    .fillColor(opts.muted ? MUTED : "black")
    .text(clean(text), PAGE.margin, doc.y, { width: contentWidth(doc), align: "left" });
  doc.fillColor("black").font(FONT).fontSize(10).moveDown(0.4);
}

/** A block of lines (an identity, an address), optionally with a bold first line, at x with a width. */
export function block(doc: Doc, lines: string[], x: number, y: number, width: number, opts: { label?: string } = {}) {
  doc.y = y;
  if (opts.label) doc.font(FONT).fontSize(8).fillColor(MUTED).text(clean(opts.label).toUpperCase(), x, doc.y, { width });
  lines.forEach((line, i) => {
    doc
      .font(i === 0 ? BOLD : FONT)
      .fontSize(10)
      .fillColor("black")
      .text(clean(line), x, doc.y, { width });
  });
  return doc.y;
}

export type Column = { header: string; width: number; align?: "left" | "right" };

/**
 * A simple ruled table; widths are fractions of the content width. Breaks
 * pages between rows and repeats the header. `strong` rows (totals) are bold
 * and shaded.
 */
export function table(doc: Doc, columns: Column[], rows: { cells: string[]; strong?: boolean }[]) {
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
    doc.font(bold ? BOLD : FONT).fontSize(8.5);
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(clean(cell), { width: widths[i]! - 2 * pad }))) + 2 * pad;
    ensureSpace(doc, height + 2);
    const y = doc.y;
    if (shade) doc.rect(PAGE.margin, y, total, height).fill(SHADE).fillColor("black");
    let x = PAGE.margin;
    cells.forEach((cell, i) => {
      doc
        .font(bold ? BOLD : FONT)
        .fontSize(8.5)
        .fillColor("black")
        .text(clean(cell), x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? "left" });
      x += widths[i]!;
    });
    doc
      .moveTo(PAGE.margin, y + height)
      .lineTo(PAGE.margin + total, y + height)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.x = PAGE.margin;
    doc.y = y + height;
    return height;
  };
  const header = () =>
    drawRow(
      columns.map((c) => c.header),
      true,
      true,
    );
  ensureSpace(doc, 40);
  header();
  for (const row of rows) {
    const before = doc.page;
    doc.font(row.strong ? BOLD : FONT).fontSize(8.5);
    const height = Math.max(...row.cells.map((cell, i) => doc.heightOfString(clean(cell), { width: widths[i]! - 6 }))) + 6;
    ensureSpace(doc, height + 2);
    if (doc.page !== before) header();
    drawRow(row.cells, row.strong === true, row.strong === true);
  }
  doc.font(FONT).fontSize(10).moveDown(0.6);
}

/** A QR code drawn as vector squares (no image, sharp at any zoom). */
export function qrCode(doc: Doc, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const cell = size / modules.size;
  doc.save();
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + col * cell, y + row * cell, cell + 0.05, cell + 0.05);
    }
  }
  doc.fill("black");
  doc.restore();
}
