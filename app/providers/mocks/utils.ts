import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/utils/env.server";

/** Mocked emails land here as JSON files: tests and the dev mailbox page read them. */
export function mailboxDir() {
  return path.resolve(getEnv().DATA_DIR, "mailbox");
}

export type MockEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
  /** Base64 content, as Resend receives it. */
  attachments?: { filename: string; contentType: string | null; content: string }[];
  createdAt: string;
};

export function writeEmail(email: Omit<MockEmail, "id" | "createdAt">): MockEmail {
  const stored: MockEmail = { ...email, id: crypto.randomUUID(), createdAt: new Date().toISOString() };
  fs.mkdirSync(mailboxDir(), { recursive: true });
  fs.writeFileSync(path.join(mailboxDir(), `${Date.now()}-${stored.id}.json`), JSON.stringify(stored, null, 2));
  const key = email.headers?.["Idempotency-Key"];
  if (key) {
    fs.mkdirSync(path.join(mailboxDir(), ".idempotency"), { recursive: true });
    fs.writeFileSync(idempotencyMarker(key), stored.id);
  }
  return stored;
}

/** The id of the email sent earlier with this Idempotency-Key, if any (one small file per key, not a scan of the mailbox). */
export function emailIdForIdempotencyKey(key: string): string | null {
  try {
    return fs.readFileSync(idempotencyMarker(key), "utf8");
  } catch {
    return null;
  }
}

const idempotencyMarker = (key: string) => path.join(mailboxDir(), ".idempotency", crypto.createHash("sha256").update(key).digest("hex"));

export function readEmails(filter?: { to?: string }): MockEmail[] {
  if (!fs.existsSync(mailboxDir())) return [];
  return fs
    .readdirSync(mailboxDir())
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(mailboxDir(), f), "utf8")) as MockEmail)
    .filter((e) => !filter?.to || e.to.includes(filter.to));
}

export function randomId(prefix: string) {
  return `${prefix}${crypto.randomBytes(12).toString("hex")}`;
}
