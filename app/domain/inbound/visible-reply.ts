import EmailReplyParser from "email-reply-parser";
import type { InboundMessage } from "./types";

/**
 * The words the debtor wrote in this message: the quoted history below a reply header and the signature
 * are cut off. Our own separators (FR and EN, as Outlook, Gmail, Apple Mail and Thunderbird write them)
 * cut first, at the first line that opens the history; email-reply-parser then drops "> " quoted lines
 * and the signature ("Cordialement,", "Envoyé de mon iPhone", "-- ").
 */
export function visibleReply(message: Pick<InboundMessage, "text" | "html">): string {
  const source = message.text.trim() !== "" ? message.text : htmlToText(message.html ?? "");
  const lines = source
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u202f]/g, " ")
    .split("\n");
  const cut = cutAtHistory(lines).join("\n");
  const visible = new EmailReplyParser().read(cut).getVisibleText();
  return tidy(visible.trim() !== "" ? visible : cut);
}

const REPLY_HEADER = /^\s*(?:le|on)\s.{4,}\s(?:a\s+)?(?:écrit|wrote)\s*:\s*$/i; // "Le … a écrit :", "On … wrote:"
const WROTE_ONLY = /^\s*.{2,}\s(?:a\s+écrit|wrote)\s*:\s*$/i; // "Relance <x@y> a écrit :" (Thunderbird without date)
const FROM_LINE = /^\s*\**\s*(?:de|from|von)\s*:\**\s*\S/i;
const FROM_FOLLOWERS = /^\s*\**\s*(?:envoyé|sent|date|à|to|objet|subject|cc)\s*:/i;
const RULED = [
  /^\s*-{2,}\s*(?:original message|message d'origine|forwarded message|message transféré|message transmis)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's line above "De : … Envoyé : …"
  /^\s*(?:début du message (?:réexpédié|transféré)|begin forwarded message)\s*:\s*$/i,
];

function cutAtHistory(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const joined = `${line} ${lines[i + 1] ?? ""}`;
    if (RULED.some((r) => r.test(line))) return lines.slice(0, i);
    if (REPLY_HEADER.test(line) || (WROTE_ONLY.test(line) && isQuoted(lines, i + 1))) return lines.slice(0, i);
    // Gmail and Apple Mail wrap a long "On … wrote:" over two lines.
    if (/^\s*(?:le|on)\s/i.test(line) && REPLY_HEADER.test(joined)) return lines.slice(0, i);
    if (FROM_LINE.test(line) && lines.slice(i + 1, i + 5).some((l) => FROM_FOLLOWERS.test(l))) return lines.slice(0, i);
    // Apple Mail and mutt quote the history with "> " and nothing above it but a blank line.
    if (/^\s*>/.test(line) && lines.slice(i).every((l) => l.trim() === "" || /^\s*>/.test(l))) return lines.slice(0, i);
  }
  return lines;
}

function isQuoted(lines: string[], from: number): boolean {
  const next = lines.slice(from).find((l) => l.trim() !== "");
  return next !== undefined && /^\s*>/.test(next);
}

function tidy(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  agrave: "à",
  acirc: "â",
  ccedil: "ç",
  ocirc: "ô",
  ucirc: "û",
  ugrave: "ù",
  icirc: "î",
  euro: "€",
  rsquo: "’",
  laquo: "«",
  raquo: "»",
};

/** A small HTML to text for HTML-only messages not already converted: blocks become lines, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, "\n")
    .replace(/<hr[^>]*>/gi, "\n________________________________\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
}
