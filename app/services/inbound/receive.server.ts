import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { systemClock, type Clock } from "~/domain/clock";
import type { Db } from "~/utils/db.server";
import { documentsRoot } from "../documents/documents.server";
import { wakeJob } from "../wake.server";

export type InboundSource = "RESEND" | "IMAP" | "RAW" | "DEV";

/** Raw messages larger than this are refused at the door (Resend and most relays stop at 40 MB). */
export const MAX_INBOUND_BYTES = 40 * 1024 * 1024;

export class InboundTooLargeError extends Error {
  constructor(size: number) {
    super(`The message is ${size} bytes, over the ${MAX_INBOUND_BYTES}-byte limit.`);
    this.name = "InboundTooLargeError";
  }
}

/**
 * The one way in for a debtor's email, whichever door it came through (Resend Inbound, a shared IMAP
 * mailbox, a raw MIME relay, the dev mailbox): the raw bytes are written to the documents folder, one
 * InboundEmail row is kept per Message-ID (the sha256 of the bytes when the message has none), the worker
 * is woken, and the caller gets its answer at once. Reading the message (parse, route, understand) is
 * processInboundEmail's work, in the worker. Safe to call twice with the same message: the second call
 * answers `duplicate: true` with the first row's id.
 */
export async function receiveInboundEmail(
  db: Db,
  input: { source: InboundSource; raw: Uint8Array; creditorId?: string | null; clock?: Clock },
): Promise<{ id: string; duplicate: boolean }> {
  const raw = Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength);
  if (raw.byteLength > MAX_INBOUND_BYTES) throw new InboundTooLargeError(raw.byteLength);
  const now = (input.clock ?? systemClock).now();
  const sha256 = crypto.createHash("sha256").update(raw).digest("hex");
  const envelope = readEnvelope(raw);
  const messageId = envelope.messageId ?? `sha256:${sha256}`;

  const existing = await db.inboundEmail.findUnique({ where: { messageId }, select: { id: true } });
  if (existing) return { id: existing.id, duplicate: true };

  // Named by content: two deliveries of one message write the same file, never a half-written one.
  const storagePath = path.posix.join("inbound", input.creditorId ?? "unrouted", `${sha256}.eml`);
  await writeOnce(path.join(documentsRoot(), storagePath), raw);

  const rows = await db.$queryRawUnsafe<{ id: string; inserted: boolean }[]>(
    `INSERT INTO "InboundEmail" (id, "creditorId", source, "messageId", "storagePath", size, sha256,
       "fromAddress", "fromName", "toAddress", subject, "inReplyTo", "receivedAt")
     VALUES ($1, $2, $3::"InboundEmailSource", $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz AT TIME ZONE 'UTC')
     ON CONFLICT ("messageId") DO NOTHING
     RETURNING id, true AS inserted`,
    newId(),
    input.creditorId ?? null,
    input.source,
    messageId,
    storagePath,
    raw.byteLength,
    sha256,
    envelope.fromAddress,
    envelope.fromName,
    envelope.to,
    envelope.subject,
    envelope.inReplyTo,
    now.toISOString(),
  );
  if (rows.length === 0) {
    // Another delivery of the same message won the insert between our look-up and ours.
    const winner = await db.inboundEmail.findUniqueOrThrow({ where: { messageId }, select: { id: true } });
    return { id: winner.id, duplicate: true };
  }
  void wakeJob("inbound_process");
  return { id: rows[0]!.id, duplicate: false };
}

/** The stored raw message (RFC 5322 bytes) of an inbound email: "view the original". */
export async function readInboundRaw(inbound: { storagePath: string }): Promise<Buffer> {
  const root = documentsRoot();
  const full = path.resolve(root, inbound.storagePath);
  if (!full.startsWith(root + path.sep)) throw new Error("inbound message outside the documents folder");
  return fs.readFile(full);
}

async function writeOnce(full: string, bytes: Buffer) {
  await fs.mkdir(path.dirname(full), { recursive: true });
  const temp = `${full}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  await fs.writeFile(temp, bytes, { mode: 0o600 });
  await fs.rename(temp, full);
}

/** A cuid-shaped id ("c" + 24 base-36 characters) for the raw insert, so reply tokens pack it compactly. */
function newId(): string {
  const n = BigInt(`0x${crypto.randomBytes(15).toString("hex")}`);
  return `c${n.toString(36).padStart(24, "0").slice(-24)}`;
}

type Envelope = {
  messageId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  to: string | null;
  subject: string | null;
  inReplyTo: string | null;
};

/**
 * The few header fields the receipt needs (dedupe key, a line in the inbox before processing), read from
 * the header block without a full parse: receiving must stay fast and never fail on a broken body. The
 * worker's mailparser reading is the authority; these are overwritten when it runs.
 */
export function readEnvelope(raw: Buffer): Envelope {
  const head = raw.subarray(0, Math.min(raw.byteLength, 64 * 1024)).toString("latin1");
  const end = head.search(/\r?\n\r?\n/);
  const block = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const fields = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  const angle = (value: string | undefined) => /<([^<>\s]+)>/.exec(value ?? "")?.[1] ?? null;
  // Message-IDs keep their angle brackets, as mailparser gives them and as Communication.messageId stores them.
  const messageRef = (value: string | undefined) => {
    const id = angle(value);
    return id ? `<${id}>` : undefined;
  };
  const from = fields.get("from") ?? "";
  const fromAddress = (angle(from) ?? /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0] ?? null)?.toLowerCase() ?? null;
  const fromName = from.includes("<") ? from.slice(0, from.indexOf("<")).trim().replace(/^"|"$/g, "") || null : null;
  const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : null);
  return {
    messageId: clip(messageRef(fields.get("message-id")), 900),
    fromAddress: clip(fromAddress ?? undefined, 320),
    fromName: clip(fromName ?? undefined, 200),
    to: clip(fields.get("to"), 1000),
    subject: clip(fields.get("subject"), 500),
    inReplyTo: clip(messageRef(fields.get("in-reply-to")), 900),
  };
}
