/**
 * `npm run bench:dashboard -- [--invoices 100000] [--debtors 2000]`
 *
 * Seeds one creditor with N invoices (about 60 % paid with a payment and its
 * allocation, the rest open at every age), disputes and plans, on a fresh
 * in-memory PGlite — or, when DATABASE_URL is a PostgreSQL URL, as a new
 * creditor in that database — then times the KPI service (the /app/kpis
 * loader's work): one cold run, then five warm runs.
 * Last line: RESULT invoices=<n> kpis_ms=<median warm> cold_ms=<x>
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { creditorKpis } from "~/services/backoffice/kpis.server";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import { isPostgresUrl, openPglite, openPostgres } from "~/utils/db.server";

const { values } = parseArgs({
  options: {
    invoices: { type: "string", default: "100000" },
    debtors: { type: "string", default: "2000" },
  },
});
const N = Number(values.invoices);
const DEBTORS = Math.max(1, Math.min(Number(values.debtors), N));
const NOW = new Date();

const url = process.env.DATABASE_URL;
const database = isPostgresUrl(url) ? await openPostgres(url, { migrate: true, max: 4 }) : await openPglite(null);
const { prisma, sql } = database;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

try {
  const tag = crypto.randomBytes(4).toString("hex");
  const creditor = await prisma.creditor.create({ data: { slug: `bench-${tag}`, legalName: "Bench SAS" } });
  const policy = await ensureDefaultPolicy(prisma, creditor.id);
  const c = creditor.id;
  const today = NOW.toISOString().slice(0, 10);
  let t = process.hrtime.bigint();

  await sql.query(
    `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, "transferReference", "updatedAt")
     SELECT $1 || '-d' || g, $1, 'D' || g, 'BUSINESS', 'Debtor ' || g, 'd' || g || '@example.test', 'RF' || $2 || g, now()
     FROM generate_series(0, $3::int - 1) g`,
    [c, tag, DEBTORS],
  );
  // Issued over the last 180 days, due 30 days later; the older ones mostly paid.
  await sql.query(
    `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, "amountPaid", currency, status, "paidAt", "updatedAt")
     SELECT $1 || '-i' || g, $1, $1 || '-d' || (g % $2::int), 'F-' || g, d.issue, d.issue + 30, d.amount,
            CASE WHEN d.kind = 'paid' THEN d.amount WHEN d.kind = 'part' THEN d.amount / 2 ELSE 0 END,
            'EUR',
            (CASE WHEN d.kind = 'paid' THEN 'PAID' WHEN d.kind = 'part' THEN 'PARTIALLY_PAID' ELSE 'OPEN' END)::"InvoiceStatus",
            CASE WHEN d.kind = 'paid' THEN (d.issue + 25 + g % 20)::timestamp END,
            now()
     FROM generate_series(0, $3::int - 1) g,
     LATERAL (SELECT $4::date - (g % 180) AS issue, 10000 + (g % 4900) * 100 AS amount,
                     CASE WHEN g % 180 > 60 AND g % 10 < 8 THEN 'paid' WHEN g % 20 = 0 THEN 'part' ELSE 'open' END AS kind) d`,
    [c, DEBTORS, N, today],
  );
  await sql.query(
    `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "pauseReason", "stoppedAt", "updatedAt")
     SELECT i.id, i."creditorId", $2,
            CASE WHEN i."dueDate" > $3::date THEN -1 WHEN $3::date - i."dueDate" < 15 THEN 2 WHEN $3::date - i."dueDate" < 30 THEN 4
                 WHEN $3::date - i."dueDate" < 45 THEN 5 WHEN $3::date - i."dueDate" < 60 THEN 6 ELSE 7 END,
            CASE WHEN i.status = 'PAID' THEN NULL ELSE (i."dueDate" + 60)::timestamp END,
            CASE WHEN i.status <> 'PAID' AND (hashtext(i.id) % 13) = 0 THEN 'MANUAL'::"PauseReason" END,
            CASE WHEN i.status = 'PAID' THEN i."paidAt" END,
            now()
     FROM "Invoice" i WHERE i."creditorId" = $1`,
    [c, policy.id, today],
  );
  await sql.query(
    `INSERT INTO "Payment" (id, "creditorId", "debtorId", provider, "idempotencyKey", status, amount, currency, "succeededAt", "updatedAt")
     SELECT i.id || '-p', i."creditorId", i."debtorId", 'TRANSFER', i.id || '-p', 'SUCCEEDED', i."amountPaid", 'EUR',
            COALESCE(i."paidAt", (i."dueDate" - 3)::timestamp), now()
     FROM "Invoice" i WHERE i."creditorId" = $1 AND i."amountPaid" > 0`,
    [c],
  );
  await sql.query(
    `INSERT INTO "PaymentAllocation" (id, "creditorId", "paymentId", "invoiceId", amount)
     SELECT i.id || '-a', i."creditorId", i.id || '-p', i.id, i."amountPaid"
     FROM "Invoice" i WHERE i."creditorId" = $1 AND i."amountPaid" > 0`,
    [c],
  );
  await sql.query(
    `INSERT INTO "Dispute" (id, "creditorId", "debtorId", "invoiceId", reason, message, status, "createdAt", "resolvedAt", "updatedAt")
     SELECT i.id || '-x', i."creditorId", i."debtorId", i.id, 'OTHER', 'bench',
            (CASE WHEN n % 2 = 0 THEN 'OPEN' ELSE 'RESOLVED_REJECTED' END)::"DisputeStatus",
            i."dueDate"::timestamp, CASE WHEN n % 2 = 1 THEN (i."dueDate" + (n % 30)::int)::timestamp END, now()
     FROM (SELECT id, "creditorId", "debtorId", "dueDate", row_number() OVER () AS n FROM "Invoice"
           WHERE "creditorId" = $1 AND status = 'OPEN' LIMIT $2::int) i`,
    [c, Math.ceil(N / 200)],
  );
  await sql.query(
    `INSERT INTO "InstallmentPlan" (id, "creditorId", "debtorId", status, "proposedBy", "totalAmount", "updatedAt")
     SELECT $1 || '-pl' || g, $1, $1 || '-d' || (g % $2::int),
            (CASE WHEN g % 5 = 0 THEN 'DEFAULTED' ELSE 'ACTIVE' END)::"PlanStatus", 'DEBTOR', 100000, now()
     FROM generate_series(0, $3::int - 1) g`,
    [c, DEBTORS, Math.ceil(N / 500)],
  );
  await sql.exec(`ANALYZE`);
  console.log(`seeded ${N} invoices, ${DEBTORS} debtors in ${(ms(t) / 1000).toFixed(1)} s (${database.kind})`);

  t = process.hrtime.bigint();
  const first = await creditorKpis(prisma, c, NOW);
  const cold = ms(t);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = process.hrtime.bigint();
    await creditorKpis(prisma, c, NOW);
    runs.push(ms(t));
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)]!;
  console.log(
    `open balance ${first.openBalance / 100} EUR, DSO ${first.dso.days} d, CEI30 ${first.cei30} %, CEI90 ${first.cei90} %, ` +
      `disputes open ${first.disputes.open} (median ${first.disputes.medianDaysToResolve} d), plans ${first.plans.active}/${first.plans.defaulted}`,
  );
  console.log(`kpis: cold ${cold.toFixed(0)} ms, warm ${runs.map((r) => r.toFixed(0)).join(" / ")} ms`);
  console.log(`RESULT invoices=${N} kpis_ms=${median.toFixed(0)} cold_ms=${cold.toFixed(0)}`);
} finally {
  await database.close();
}
