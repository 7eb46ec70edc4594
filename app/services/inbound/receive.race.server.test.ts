import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { isPostgresUrl } from "~/utils/db.server";
import { useTestDatabase } from "../../testing/db";
import { receiveInboundEmail } from "./receive.server";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-inbound-race-"));

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("receiving one message ten times at once (PostgreSQL)", () => {
  const database = useTestDatabase();

  test("one row, one id for all ten, nine duplicates", async () => {
    const db = database.get().prisma;
    const raw = new TextEncoder().encode("From: a@b.test\r\nMessage-ID: <race-1@b.test>\r\nSubject: x\r\n\r\nLe virement est parti.");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => receiveInboundEmail(db, { source: "RAW", raw, clock: fixedClock("2026-12-02T09:00:00Z") })),
    );
    expect(await db.inboundEmail.count({ where: { messageId: "<race-1@b.test>" } })).toBe(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(9);
  });
});
