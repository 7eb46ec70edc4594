/**
 * A plain-text RFC 5322 message, as a mail client writes a reply: the new words, then the quoted
 * original under a French "Le … a écrit :" line. The dev mailbox feeds it to the real inbound pipeline
 * ("reply as the debtor"), so what arrives there is shaped like what a debtor's client sends.
 */
export interface ReplyDraft {
  from: { address: string; name?: string | null };
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** Our Message-ID, without or with angle brackets; a random one when absent. */
  messageId: string;
  /** The message answered (threading); absent for a fresh message from an unknown address. */
  inReplyTo?: string | null;
  references?: string[];
  /** The original, quoted under the reply like a mail client does. */
  quoted?: { from: string; date: Date; text: string } | null;
}

export function composeReplyMime(draft: ReplyDraft): string {
  const body = draft.quoted
    ? `${draft.text.trim()}\n\nLe ${frenchDateTime(draft.quoted.date)}, ${draft.quoted.from} a écrit :\n${quote(draft.quoted.text)}\n`
    : `${draft.text.trim()}\n`;
  const references = [...new Set([...(draft.references ?? []), ...(draft.inReplyTo ? [draft.inReplyTo] : [])])].map(bracket);
  const headers = [
    `From: ${draft.from.name ? `${encodeWord(draft.from.name)} ` : ""}<${draft.from.address}>`,
    `To: <${draft.to}>`,
    `Subject: ${encodeWord(draft.subject)}`,
    `Date: ${draft.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${bracket(draft.messageId)}`,
    ...(draft.inReplyTo ? [`In-Reply-To: ${bracket(draft.inReplyTo)}`] : []),
    ...(references.length > 0 ? [`References: ${references.join(" ")}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8; format=flowed",
    "Content-Transfer-Encoding: base64",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${wrap(Buffer.from(body.replace(/\r?\n/g, "\r\n"), "utf8").toString("base64"))}\r\n`;
}

const bracket = (id: string) => `<${id.trim().replace(/^<|>$/g, "")}>`;

/** RFC 2047 encoded word when the text is not plain ASCII (accents in a name or a subject). */
function encodeWord(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, "utf8").toString("base64")}?=`;
}

function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

function wrap(base64: string): string {
  return base64.replace(/.{1,76}/g, (line) => `${line}\r\n`).trimEnd();
}

function frenchDateTime(date: Date): string {
  const day = date.toLocaleDateString("fr-FR", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const time = date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${day} à ${time}`;
}
