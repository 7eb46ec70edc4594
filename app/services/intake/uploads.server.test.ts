import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { guessMapping } from "~/domain/intake/csv-import";
import { makeCreditor } from "../../testing/factories";
import { useTestDatabase } from "../../testing/db";
import { queueImport } from "./import-jobs.server";
import { findPendingUpload, previewUpload, storeUpload } from "./uploads.server";

const database = useTestDatabase();

beforeAll(() => {
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "relance-import-"));
});

async function* chunks(text: string) {
  yield Buffer.from(text, "utf8");
}

const HEADER = "Code client;Raison sociale;Email;N° facture;Date facture;Date d'échéance;Montant TTC;Devise";
const GOOD = [
  "C001;Boulangerie Martin;compta@martin.test;F-1001;01/02/2026;03/03/2026;1 234,56;EUR",
  "C002;Garage Petit;;F-1002;2026-01-15;2026-02-14;500.00;",
  "C001;Boulangerie Martin;compta@martin.test;F-1003;01/03/2026;31/03/2026;99,90;EUR",
];

describe("CSV upload", () => {
  it("previews the first rows with a guessed mapping", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const stored = await storeUpload({ creditorId: creditor.id, userId: null }, "f.csv", chunks([HEADER, ...GOOD].join("\r\n")));
    expect(stored.ok).toBe(true);
    const id = (stored as { id: string }).id;
    const preview = await previewUpload(id, null, "EUR");
    expect(preview.headers).toHaveLength(8);
    expect(preview.mapping).toEqual(guessMapping(preview.headers));
    expect(preview.mapping).toMatchObject({
      debtorRef: "Code client",
      dueDate: "Date d'échéance",
      issueDate: "Date facture",
      amount: "Montant TTC",
    });
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toMatchObject({ line: 2, errors: [], cells: { invoiceNumber: "F-1001", amount: "1 234,56" } });
    // Another creditor cannot see the pending upload.
    const other = await makeCreditor(database.get().prisma);
    expect(await findPendingUpload(other.creditor.id, id)).toBeNull();
    expect(await queueImport(database.get().prisma, other.creditor.id, id, preview.mapping, null)).toBeNull();
  });

  it("refuses an upload over the size limit", async () => {
    const result = await storeUpload({ creditorId: "x", userId: null }, "big.csv", chunks("a".repeat(2_000)), 1_000);
    expect(result).toEqual({ ok: false, code: "too_large" });
  });
});
