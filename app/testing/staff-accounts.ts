import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { hashPassword, startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "./factories";
import { startMockServer } from "~/providers/mocks/index";
import { readEmails } from "~/providers/mocks/utils";
import { useTestDatabase } from "./db";
import { StaffAccountError, type Actor, type Role } from "~/services/accounts/schemas";

/**
 * What the staff-accounts tests share: a database, the email mock, members
 * with a session, and readers for the code and link in the last email.
 */
export function useStaffAccountsTest() {
  const database = useTestDatabase();
  const NOW = new Date();
  const at = (minutes: number) => fixedClock(new Date(NOW.getTime() + minutes * 60_000));
  const clock = at(0);
  const PASSWORD = "correct horse battery";
  let stop: () => void;

  beforeAll(() => {
    process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-accounts-"));
    stop = startMockServer({ stripe: false, gocardless: false, resend: true });
  });
  afterAll(() => stop());

  const db = () => database.get().prisma;
  const uid = () => crypto.randomBytes(4).toString("hex");

  async function member(creditorId: string, role: Role, opts: { password?: string } = {}) {
    const user = await db().user.create({
      data: {
        creditorId,
        email: `${role.toLowerCase()}-${uid()}@example.test`,
        name: `${role} ${uid()}`,
        role,
        passwordHash: await hashPassword(opts.password ?? PASSWORD),
      },
    });
    const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
    const session = await db().session.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
    const actor: Actor = { userId: user.id, creditorId, role, sessionId: session.id };
    return { user, cookie, actor };
  }

  async function team() {
    const { creditor } = await makeCreditor(db());
    const owner = await member(creditor.id, "OWNER");
    return { creditor, owner };
  }

  const codeIn = (to: string) => {
    const mails = readEmails({ to });
    const text = mails.at(-1)?.text ?? "";
    return { count: mails.length, code: /\b(\d{6})\b/.exec(text)?.[1] ?? null, mail: mails.at(-1) };
  };
  const linkIn = (to: string) => {
    const text = readEmails({ to }).at(-1)?.text ?? "";
    return /\/invitations\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null;
  };
  const code = (error: unknown) => (error instanceof StaffAccountError ? error.code : error);
  const failure = (promise: Promise<unknown>) => promise.then(() => "no error", code);
  const audit = (creditorId: string) => db().auditEvent.findMany({ where: { creditorId }, orderBy: { createdAt: "asc" } });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);
  return { db, uid, NOW, at, clock, PASSWORD, member, team, codeIn, linkIn, code, failure, audit, form };
}
