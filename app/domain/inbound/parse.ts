import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from "mailparser";
import { InboundParseError, type InboundAddress, type InboundMessage } from "./types";

/** Headers kept for classifyAutomated (automated.ts); everything else stays in the raw message. */
const KEPT_HEADERS = [
  "auto-submitted",
  "x-autoreply",
  "x-autorespond",
  "x-auto-response-suppress",
  "precedence",
  "x-precedence",
  "x-failed-recipients",
  "return-path",
  "list-id",
  "list-unsubscribe",
  "content-type",
] as const;

/**
 * Reads a raw RFC 5322 message (bytes or string) with mailparser. mailparser accepts almost anything, so a
 * message counts as malformed when it cannot be parsed at all, or when it has neither a From address nor
 * any body (text, HTML or attachment): then an `InboundParseError` is thrown, never anything else.
 */
export async function parseInboundEmail(raw: Uint8Array | string): Promise<InboundMessage> {
  let mail: ParsedMail;
  try {
    const input = typeof raw === "string" ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    mail = await simpleParser(input, { skipImageLinks: true, skipTextLinks: true });
  } catch (error) {
    throw new InboundParseError("unparseable", `The message cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const from = firstAddress(mail.from);
  const html = typeof mail.html === "string" && mail.html.trim() !== "" ? mail.html : null;
  const text = (mail.text ?? "").replace(/\r\n?/g, "\n");
  const attachments = mail.attachments.map((a) => ({
    filename: a.filename ?? null,
    contentType: a.contentType,
    size: a.size ?? a.content.length,
    contentId: a.contentId ?? null,
    content: new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
  }));
  if (!from && text.trim() === "" && !html && attachments.length === 0) {
    throw new InboundParseError("empty", "The message has no From address and no body.");
  }

  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = mail.headers.get(name);
    if (value !== undefined) headers[name] = headerText(value);
  }

  return {
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references: typeof mail.references === "string" ? mail.references.split(/\s+/).filter(Boolean) : (mail.references ?? []),
    from,
    to: addresses(mail.to),
    replyTo: firstAddress(mail.replyTo),
    subject: mail.subject ?? "",
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text,
    html,
    attachments,
    headers,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): InboundAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) =>
    o.value.flatMap((a) => {
      // A group ("Team: a@x, b@y;") nests its members.
      const members = a.group ?? [a];
      return members.filter((m) => m.address).map((m) => ({ address: m.address!.toLowerCase(), name: m.name ?? "" }));
    }),
  );
}

function firstAddress(field: AddressObject | AddressObject[] | undefined): InboundAddress | null {
  return addresses(field)[0] ?? null;
}

function headerText(value: HeaderValue): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(", ");
  if ("value" in value && typeof value.value === "string") {
    const params = "params" in value && value.params ? Object.entries(value.params as Record<string, string>) : [];
    return [value.value, ...params.map(([k, v]) => `${k}=${v}`)].join("; ");
  }
  if ("text" in value && typeof value.text === "string") return value.text;
  return String(value);
}
