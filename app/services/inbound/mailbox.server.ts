import { z } from "zod";
import type { Clock } from "~/domain/clock";
import { fetchUnseenMessages, type MailboxFetcher } from "~/providers/imap.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { receiveInboundEmail } from "./receive.server";
import { decryptSecret, encryptSecret } from "./secrets.server";

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const FOLDER = z
  .string()
  .trim()
  .min(1, "required")
  .max(200, "tooLong")
  .regex(/^[^\r\n*%]+$/, "invalidFolder");

/**
 * The settings form of a creditor's shared mailbox (e.g. compta@…). Messages are error codes the form
 * turns into words (FR/EN). An empty password on an existing connection keeps the stored one.
 */
export const MailboxConnectionSchema = z.object({
  host: z.string().trim().min(1, "required").max(253, "tooLong").regex(HOST, "invalidHost"),
  port: z.coerce.number({ message: "invalidPort" }).int("invalidPort").min(1, "invalidPort").max(65535, "invalidPort").default(993),
  secure: z
    .union([z.boolean(), z.enum(["on", "true", "false", ""])])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true"),
  username: z.string().trim().min(1, "required").max(320, "tooLong"),
  password: z.string().max(1000, "tooLong").optional().default(""),
  folder: FOLDER.default("INBOX"),
  processedFolder: FOLDER.default("relance-traite"),
  enabled: z
    .union([z.boolean(), z.enum(["on", "true", "false", ""])])
    .optional()
    .transform((v) => v === undefined || v === true || v === "on" || v === "true"),
});
export type MailboxConnectionInput = z.input<typeof MailboxConnectionSchema>;

export type MailboxFieldErrors = Partial<Record<keyof z.infer<typeof MailboxConnectionSchema>, string>>;
export type SaveMailboxResult = { ok: true; id: string } | { ok: false; fieldErrors: MailboxFieldErrors };

/**
 * Saves the creditor's mailbox connection (one per creditor). The password is stored encrypted
 * (AES-256-GCM, key derived from the app secret), never in clear; left empty, the stored one is kept.
 * Changing the server or the account clears the last error and the position read so far.
 */
export async function saveMailboxConnection(db: Db, creditorId: string, input: unknown): Promise<SaveMailboxResult> {
  const parsed = MailboxConnectionSchema.safeParse(input);
  const existing = await db.mailboxConnection.findUnique({ where: { creditorId } });
  const fieldErrors: MailboxFieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof typeof fieldErrors;
      fieldErrors[field] ??= issue.message;
    }
  } else if (!parsed.data.password && !existing) {
    fieldErrors.password = "required";
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const data = parsed.data;
  const moved = existing && (existing.host !== data.host || existing.username !== data.username || existing.folder !== data.folder);
  const fields = {
    host: data.host.toLowerCase(),
    port: data.port,
    secure: data.secure,
    username: data.username,
    folder: data.folder,
    processedFolder: data.processedFolder,
    enabled: data.enabled,
    ...(data.password ? { passwordEnc: encryptSecret(data.password) } : {}),
  };
  const saved = await db.mailboxConnection.upsert({
    where: { creditorId },
    create: { creditorId, ...fields, passwordEnc: encryptSecret(data.password) },
    update: { ...fields, ...(moved || data.password ? { lastError: null } : {}), ...(moved ? { lastUid: null } : {}) },
  });
  return { ok: true, id: saved.id };
}

/** The form's values for the settings page: never the password, only whether one is stored. */
export async function readMailboxConnection(db: Db, creditorId: string) {
  const connection = await db.mailboxConnection.findUnique({ where: { creditorId } });
  if (!connection) return null;
  const { passwordEnc, ...rest } = connection;
  return { ...rest, hasPassword: passwordEnc.length > 0 };
}

export type MailboxPollReport = { mailboxes: number; received: number; duplicates: number; failed: number };

/**
 * The worker's minute pass over every enabled mailbox: each unseen message is received like any other
 * inbound email (stored, deduplicated on its Message-ID, processed by the worker) for that creditor,
 * then moved to the processed folder. A mailbox that cannot be reached keeps its error for the settings
 * page (lastError) and the others go on.
 */
export async function pollAllMailboxes(db: Db, clock: Clock, opts: { fetcher?: MailboxFetcher } = {}): Promise<MailboxPollReport> {
  const fetcher = opts.fetcher ?? fetchUnseenMessages;
  const connections = await db.mailboxConnection.findMany({
    where: { enabled: true },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
  });
  const report: MailboxPollReport = { mailboxes: connections.length, received: 0, duplicates: 0, failed: 0 };
  for (const connection of connections) {
    let lastUid = connection.lastUid;
    try {
      const access = {
        host: connection.host,
        port: connection.port,
        secure: connection.secure,
        username: connection.username,
        password: decryptSecret(connection.passwordEnc),
        folder: connection.folder,
        processedFolder: connection.processedFolder,
      };
      await fetcher(access, async (raw, uid) => {
        const { duplicate } = await receiveInboundEmail(db, { source: "IMAP", raw, creditorId: connection.creditorId, clock });
        if (duplicate) report.duplicates++;
        else report.received++;
        lastUid = Math.max(lastUid ?? 0, uid);
        return true;
      });
      await db.mailboxConnection.update({
        where: { id: connection.id },
        data: { lastCheckedAt: clock.now(), lastError: null, lastUid },
      });
    } catch (error) {
      report.failed++;
      logger.warn({ err: error, creditorId: connection.creditorId }, "mailbox poll failed");
      await db.mailboxConnection.update({
        where: { id: connection.id },
        data: { lastCheckedAt: clock.now(), lastError: describe(error), lastUid },
      });
    }
  }
  return report;
}

function describe(error: unknown): string {
  const e = error as { message?: string; responseText?: string; authenticationFailed?: boolean; code?: string };
  if (e.authenticationFailed) return "authentication failed: check the user name and password";
  return (e.responseText || e.message || e.code || String(error)).slice(0, 500);
}
