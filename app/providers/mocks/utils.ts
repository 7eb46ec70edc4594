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

/**
 * Stores a mocked email. With an Idempotency-Key the marker is written first
 * and names the message file; the message is written second, under that name.
 * A crash between the two leaves a marker without its message: the retry
 * finds the marker, writes the same message under the same name, and never a
 * second one. Each file appears whole (written aside, then renamed).
 */
export function writeEmail(email: Omit<MockEmail, "id" | "createdAt">): MockEmail {
  const key = email.headers?.["Idempotency-Key"];
  fs.mkdirSync(mailboxDir(), { recursive: true });
  let id: string = crypto.randomUUID();
  let file = `${Date.now()}-${id}.json`;
  if (key) {
    // Exclusive: of two sends racing with one key, the second takes the first's marker.
    const reserved = readMarker(key) ?? reserveMarker(key, { id, file });
    ({ id, file } = reserved);
  }
  const stored: MockEmail = { ...email, id, createdAt: new Date().toISOString() };
  if (!fs.existsSync(path.join(mailboxDir(), file))) writeWhole(path.join(mailboxDir(), file), JSON.stringify(stored, null, 2));
  return stored;
}

function writeWhole(target: string, content: string) {
  const aside = `${target}.${process.pid}.${crypto.randomUUID()}.tmp`;
  fs.writeFileSync(aside, content);
  fs.renameSync(aside, target);
}

/** Creates the marker whole and only if absent (link fails on an existing name); returns whichever marker won. */
function reserveMarker(key: string, marker: { id: string; file: string }): { id: string; file: string } {
  fs.mkdirSync(path.join(mailboxDir(), ".idempotency"), { recursive: true });
  const target = idempotencyMarker(key);
  const aside = `${target}.${process.pid}.${marker.id}.tmp`;
  fs.writeFileSync(aside, `${marker.id}\n${marker.file}`);
  try {
    fs.linkSync(aside, target);
    return marker;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readMarker(key) ?? marker;
  } finally {
    fs.unlinkSync(aside);
  }
}

function readMarker(key: string): { id: string; file: string } | null {
  try {
    const [id, file] = fs.readFileSync(idempotencyMarker(key), "utf8").split("\n");
    return id ? { id, file: file || `${id}.json` } : null;
  } catch {
    return null;
  }
}

/**
 * The id of the email sent earlier with this Idempotency-Key, if it was stored
 * whole (one small file per key, not a scan of the mailbox). A marker whose
 * message is missing (a crash between the two writes) does not count: the
 * caller stores the email again, under the marker's id.
 */
export function emailIdForIdempotencyKey(key: string): string | null {
  const marker = readMarker(key);
  return marker && fs.existsSync(path.join(mailboxDir(), marker.file)) ? marker.id : null;
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
