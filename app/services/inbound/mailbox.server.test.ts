import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import type { MailboxFetcher } from "~/providers/imap.server";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor } from "../../testing/factories";
import { pollAllMailboxes, readMailboxConnection, saveMailboxConnection } from "./mailbox.server";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-mailbox-"));
const database = useTestDatabase();
const clock = fixedClock("2026-12-02T09:00:00Z");
const valid = { host: "imap.example.test", port: "993", secure: "on", username: "compta@atelier.test", password: "hunter2-long" };

describe("a creditor's shared mailbox (IMAP)", () => {
  test("the form: errors by field, the password stored encrypted, an empty password keeps the stored one", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const bad = await saveMailboxConnection(db, creditor.id, { host: "not a host", port: "99999", username: "" });
    expect(bad).toEqual({ ok: false, fieldErrors: { host: "invalidHost", port: "invalidPort", username: "required" } });
    expect(await saveMailboxConnection(db, creditor.id, { ...valid, password: "" })).toEqual({
      ok: false,
      fieldErrors: { password: "required" },
    });

    expect((await saveMailboxConnection(db, creditor.id, valid)).ok).toBe(true);
    const stored = await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } });
    expect(stored).toMatchObject({
      host: "imap.example.test",
      port: 993,
      secure: true,
      folder: "INBOX",
      processedFolder: "relance-traite",
    });
    expect(stored.passwordEnc).not.toContain("hunter2");
    await saveMailboxConnection(db, creditor.id, { ...valid, password: "", folder: "Factures" });
    const kept = await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } });
    expect(kept.passwordEnc).toBe(stored.passwordEnc);
    expect(kept.folder).toBe("Factures");
    const shown = await readMailboxConnection(db, creditor.id);
    expect(shown).toMatchObject({ hasPassword: true });
    expect(shown).not.toHaveProperty("passwordEnc");
  });

  test("the worker's pass receives each unseen message for its creditor (decrypted password), and keeps a connection error", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const mine = { ...valid, username: "factures@autre.test" };
    await saveMailboxConnection(db, creditor.id, mine);
    const seen: string[] = [];
    const fetcher: MailboxFetcher = async (access, sink) => {
      if (access.username !== mine.username) return { fetched: 0, moved: 0 };
      seen.push(access.password);
      const raw = (n: number) =>
        new TextEncoder().encode(`From: a@b.test\r\nMessage-ID: <imap-${n}-${creditor.id}@b.test>\r\n\r\nBonjour ${n}`);
      let moved = 0;
      for (const uid of [7, 9]) if (await sink(raw(uid), uid)) moved++;
      if (await sink(raw(7), 7)) moved++; // the same message again: a duplicate
      return { fetched: 3, moved };
    };
    const report = await pollAllMailboxes(db, clock, { fetcher });
    expect(report).toMatchObject({ received: 2, duplicates: 1, failed: 0 });
    expect(seen).toContain("hunter2-long");
    const rows = await db.inboundEmail.findMany({ where: { creditorId: creditor.id } });
    expect(rows.map((r) => r.source)).toEqual(["IMAP", "IMAP"]);
    expect((await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } })).lastUid).toBe(9);

    const failing: MailboxFetcher = async () => {
      throw Object.assign(new Error("Command failed"), { authenticationFailed: true });
    };
    const failed = await pollAllMailboxes(db, clock, { fetcher: failing });
    expect(failed.failed).toBeGreaterThanOrEqual(1);
    expect((await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } })).lastError).toMatch(
      /authentication failed/,
    );
  });
});
