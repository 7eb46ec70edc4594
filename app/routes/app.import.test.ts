import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runQueuedImports } from "~/services/intake/import-jobs.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import * as indexRoute from "./app.import._index";
import * as jobRoute from "./app.import.$jobId";
import * as reportRoute from "./app.import.$jobId.errors[.csv]";

const database = useTestDatabase();

beforeAll(() => {
  process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "relance-import-route-"));
});

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER" = "AGENT") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  const setCookie = await startStaffSession(user, new Request("http://localhost/login"));
  return setCookie.split(";")[0]!;
}

const CSV = [
  "Client;Nom;Facture;Date;Échéance;Montant",
  "C1;ACME;F-1;01/03/2026;31/03/2026;100,00",
  "C1;ACME;F-2;01/03/2026;15/02/2026;50,00",
  "C2;Beta;F-3;2026-03-02;2026-04-01;abc",
].join("\n");

async function expectStatus(promise: Promise<unknown>, status: number) {
  try {
    const value = await promise;
    expect((value as Response).status).toBe(status);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(status);
  }
}

describe("/app/import", () => {
  it("upload → mapping preview → confirm → the worker imports; the job page and the error report follow", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const cookie = await staffOf(creditor.id);
    const form = new FormData();
    form.append("file", new File([CSV], "factures.csv", { type: "text/csv" }));
    const uploaded = await indexRoute.action({
      request: new Request("http://localhost/app/import?index", { method: "POST", body: form, headers: { Cookie: cookie } }),
      params: {},
      context: {},
    });
    expect(uploaded.status).toBe(302);
    const location = uploaded.headers.get("Location")!;
    expect(location).toMatch(/^\/app\/import\?upload=/);
    const uploadId = new URL(location, "http://localhost").searchParams.get("upload")!;

    const previewed = await indexRoute.loader({
      request: new Request(`http://localhost${location}`, { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    });
    const data = await previewed.json();
    const upload = data.upload!;
    expect(upload.mapping).toMatchObject({
      debtorRef: "Client",
      debtorName: "Nom",
      invoiceNumber: "Facture",
      issueDate: "Date",
      dueDate: "Échéance",
      amount: "Montant",
    });
    expect(upload.missing).toEqual([]);
    expect(upload.rows.map((r: { line: number; errors: unknown[] }) => [r.line, r.errors.length])).toEqual([
      [2, 0],
      [3, 1],
      [4, 1],
    ]);

    const confirm = new URLSearchParams({ upload: uploadId, intent: "confirm" });
    for (const [field, header] of Object.entries(upload.mapping as Record<string, string>)) confirm.set(`map_${field}`, header);
    const queued = await indexRoute.action({
      request: new Request("http://localhost/app/import?index", { method: "POST", body: confirm, headers: { Cookie: cookie } }),
      params: {},
      context: {},
    });
    expect(queued.status).toBe(302);
    const jobId = queued.headers.get("Location")!.split("/").pop()!;
    expect(jobId).toBe(uploadId);

    const before = await (
      await jobRoute.loader({
        request: new Request(`http://localhost/app/import/${jobId}`, { headers: { Cookie: cookie } }),
        params: { jobId },
        context: {},
      })
    ).json();
    expect(before.job.status).toBe("QUEUED");

    await runQueuedImports(database.get().prisma, { now: () => new Date("2026-03-10T09:00:00Z") });
    const after = await (
      await jobRoute.loader({
        request: new Request(`http://localhost/app/import/${jobId}`, { headers: { Cookie: cookie } }),
        params: { jobId },
        context: {},
      })
    ).json();
    expect(after.job).toMatchObject({ status: "DONE", totalRows: 3, processedRows: 3, createdRows: 1, errorCount: 2 });
    expect(after.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [3, "due_before_issue"],
      [4, "amount_format"],
    ]);

    const report = await reportRoute.loader({
      request: new Request(`http://localhost/app/import/${jobId}/errors.csv`, { headers: { Cookie: `${cookie}; lang=en` } }),
      params: { jobId },
      context: {},
    });
    expect(report.headers.get("Content-Type")).toContain("text/csv");
    const text = await report.text();
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(3);
    expect(text).toContain("4;");
  });

  it("refuses a mapping without the required columns", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const cookie = await staffOf(creditor.id);
    const body = new URLSearchParams({ upload: "00000000-0000-0000-0000-000000000000", intent: "confirm", map_amount: "Montant" });
    const res = await indexRoute.action({
      request: new Request("http://localhost/app/import?index", { method: "POST", body, headers: { Cookie: cookie } }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(400);
  });

  it("an import of creditor A is invisible to B's staff, and viewers cannot import", async () => {
    const db = database.get().prisma;
    const a = await makeCreditor(db);
    const b = await makeCreditor(db);
    const cookieA = await staffOf(a.creditor.id);
    const cookieB = await staffOf(b.creditor.id, "OWNER");
    const form = new FormData();
    form.append("file", new File([CSV], "a.csv", { type: "text/csv" }));
    const uploaded = await indexRoute.action({
      request: new Request("http://localhost/app/import?index", { method: "POST", body: form, headers: { Cookie: cookieA } }),
      params: {},
      context: {},
    });
    const uploadId = new URL(uploaded.headers.get("Location")!, "http://localhost").searchParams.get("upload")!;
    // B cannot preview or confirm A's upload.
    await expectStatus(
      indexRoute.loader({
        request: new Request(`http://localhost/app/import?upload=${uploadId}`, { headers: { Cookie: cookieB } }),
        params: {},
        context: {},
      }),
      404,
    );
    const mapping = {
      map_debtorRef: "Client",
      map_debtorName: "Nom",
      map_invoiceNumber: "Facture",
      map_issueDate: "Date",
      map_dueDate: "Échéance",
      map_amount: "Montant",
    };
    await expectStatus(
      indexRoute.action({
        request: new Request("http://localhost/app/import?index", {
          method: "POST",
          body: new URLSearchParams({ upload: uploadId, ...mapping }),
          headers: { Cookie: cookieB },
        }),
        params: {},
        context: {},
      }),
      404,
    );
    const queued = await indexRoute.action({
      request: new Request("http://localhost/app/import?index", {
        method: "POST",
        body: new URLSearchParams({ upload: uploadId, ...mapping }),
        headers: { Cookie: cookieA },
      }),
      params: {},
      context: {},
    });
    const jobId = queued.headers.get("Location")!.split("/").pop()!;
    await expectStatus(
      jobRoute.loader({
        request: new Request(`http://localhost/app/import/${jobId}`, { headers: { Cookie: cookieB } }),
        params: { jobId },
        context: {},
      }),
      404,
    );
    await expectStatus(
      reportRoute.loader({
        request: new Request(`http://localhost/app/import/${jobId}/errors.csv`, { headers: { Cookie: cookieB } }),
        params: { jobId },
        context: {},
      }),
      404,
    );
    const listB = await (
      await indexRoute.loader({
        request: new Request("http://localhost/app/import", { headers: { Cookie: cookieB } }),
        params: {},
        context: {},
      })
    ).json();
    expect(listB.jobs).toEqual([]);

    const viewer = await staffOf(a.creditor.id, "VIEWER");
    await expectStatus(
      indexRoute.action({
        request: new Request("http://localhost/app/import?index", {
          method: "POST",
          body: new URLSearchParams({ upload: uploadId }),
          headers: { Cookie: viewer },
        }),
        params: {},
        context: {},
      }),
      403,
    );
  });
});
