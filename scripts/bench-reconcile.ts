/**
 * `npm run bench:reconcile -- [--transactions 10000] [--invoices 100000] [--debtors 10000] [--seed 42] [--db [postgresql://…]]`
 *
 * Cash application on a generated statement whose right answers are known
 * (app/domain/bank/ground-truth.ts): references, invoice numbers in messy
 * text, lump payments over 2–4 invoices, partials, overpayments, strangers
 * and bank fees.
 *
 * On PostgreSQL (`--db [url]`, or DATABASE_URL is a postgres URL): a fresh
 * database `relance_bench_reconcile` is created next to the URL (needs
 * CREATEDB), the debtors, invoices, dunning states and known IBANs are
 * inserted in bulk, the statement is written as a camt.053 file and imported
 * through the worker's path (queueStatement → processQueuedStatement: parse,
 * store, match, apply through the payment door), and the database is read
 * back to score it. Without a PostgreSQL URL only the pure matcher is timed.
 *
 * Last line: RESULT transactions=<n> seconds=<x> auto_applied_pct=<x>
 * false_auto_matches=<n> suggested_pct=<x>
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const argv = process.argv.slice(2);
let dbUrl: string | null = null;
const dbAt = argv.indexOf("--db");
if (dbAt >= 0) {
  const next = argv[dbAt + 1];
  const explicit = next && /^postgres(ql)?:\/\//.test(next);
  dbUrl = explicit ? next : (process.env.BENCH_DATABASE_URL ?? "postgresql://relance:relance@localhost:5432/relance");
  argv.splice(dbAt, explicit ? 2 : 1);
} else if (process.env.DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL)) dbUrl = process.env.DATABASE_URL;

const { values } = parseArgs({
  args: argv,
  options: {
    transactions: { type: "string", default: "10000" },
    invoices: { type: "string", default: "100000" },
    debtors: { type: "string", default: "10000" },
    seed: { type: "string", default: "42" },
  },
});

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-bench-reconcile-"));
process.env.LOG_LEVEL ??= "warn";

const { generateGroundTruth } = await import("~/domain/bank/ground-truth");
const { autoApplicable, buildMatchIndex, suggestMatches } = await import("~/domain/bank/matching");
const { parseStatement, transactionKey } = await import("~/domain/bank/statement");

const truth = generateGroundTruth({
  transactions: Number(values.transactions),
  invoices: Number(values.invoices),
  debtors: Number(values.debtors),
  seed: Number(values.seed),
});

type Allocation = { invoiceId: string; amount: number };
type Outcome = { auto: boolean; debtorId: string | null; allocations: Allocation[]; suggestedDebtors: string[] };

const sameAllocations = (a: Allocation[], b: Allocation[]) => {
  const key = (list: Allocation[]) =>
    [...list]
      .filter((x) => x.amount > 0)
      .map((x) => `${x.invoiceId}=${x.amount}`)
      .sort()
      .join(",");
  return key(a) === key(b);
};

const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The pure matcher alone, in this process (no database). */
function inProcess(): { outcomes: Outcome[]; seconds: number; phases: string } {
  const started = process.hrtime.bigint();
  const index = buildMatchIndex(truth.ctx);
  const outcomes = truth.cases.map((c): Outcome => {
    const suggestions = suggestMatches(c.tx, index);
    const auto = autoApplicable(suggestions[0], suggestions[1]);
    return {
      auto,
      debtorId: auto ? suggestions[0]!.debtorId : null,
      allocations: auto ? suggestions[0]!.allocations : [],
      suggestedDebtors: suggestions.map((s) => s.debtorId),
    };
  });
  return { outcomes, seconds: secondsSince(started), phases: "in-process matcher, no database" };
}

async function onPostgres(baseUrl: string): Promise<{ outcomes: Outcome[]; seconds: number; phases: string }> {
  const { camt053 } = await import("~/services/bank/test-support");
  const { processQueuedStatement, queueStatement } = await import("~/services/bank/imports.server");
  const { ensureDefaultPolicy } = await import("~/services/dunning/policies.server");
  const { openPostgres } = await import("~/utils/db.server");
  const { loadMatchIndex, matchTransaction } = await import("~/services/bank/matching.server");

  const url = execFileSync(process.execPath, [path.resolve("scripts/fresh-database.mjs"), baseUrl, "relance_bench_reconcile"], {
    encoding: "utf8",
  }).trim();
  const database = await openPostgres(url, { migrate: true, max: 4 });
  const { prisma } = database;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    let t = process.hrtime.bigint();
    const creditor = await prisma.creditor.create({ data: { slug: "bench", legalName: "Bench SAS" } });
    const policy = await ensureDefaultPolicy(prisma, creditor.id);
    const { debtors, invoices } = truth.ctx;
    await pool.query(
      `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, "transferReference", "updatedAt")
       SELECT u.id, $1, u.id, 'BUSINESS', u.name, u.id || '@example.test', u.ref, now()
       FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, name, ref)`,
      [creditor.id, debtors.map((d) => d.id), debtors.map((d) => d.name), debtors.map((d) => d.transferReference)],
    );
    const ibans = debtors.flatMap((d) => d.knownIbans.map((iban) => ({ debtorId: d.id, iban })));
    await pool.query(
      `INSERT INTO "PayerIdentity" (id, "creditorId", "debtorId", kind, value)
       SELECT gen_random_uuid()::text, $1, u.debtor, 'IBAN', u.iban FROM unnest($2::text[], $3::text[]) AS u(debtor, iban)`,
      [creditor.id, ibans.map((i) => i.debtorId), ibans.map((i) => i.iban)],
    );
    const CHUNK = 20_000;
    for (let start = 0; start < invoices.length; start += CHUNK) {
      const chunk = invoices.slice(start, start + CHUNK);
      await pool.query(
        `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, currency, status, "updatedAt")
         SELECT u.id, $1, u.debtor, u.number, u.due::date - 30, u.due::date, u.amount, 'EUR', 'OPEN', now()
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS u(id, debtor, number, due, amount)`,
        [
          creditor.id,
          chunk.map((i) => i.id),
          chunk.map((i) => i.debtorId),
          chunk.map((i) => i.number),
          chunk.map((i) => i.dueDate.toISOString().slice(0, 10)),
          chunk.map((i) => i.balance),
        ],
      );
    }
    // Level 1 sent; the next level waits, as for a portfolio being chased.
    await pool.query(
      `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "updatedAt")
       SELECT i.id, i."creditorId", $1, 0, (i."dueDate" + 400)::timestamp, now() FROM "Invoice" i WHERE i."creditorId" = $2`,
      [policy.id, creditor.id],
    );
    await pool.query(`VACUUM ANALYZE`);
    console.log(
      `  seeded ${invoices.length} invoices / ${debtors.length} debtors / ${ibans.length} known IBANs in ${secondsSince(t).toFixed(1)} s`,
    );

    const statementDate = truth.cases.reduce((d, c) => (c.tx.bookingDate > d ? c.tx.bookingDate : d), new Date(0));
    const xml = camt053(
      truth.cases.map((c) => ({
        ref: c.tx.entryRef!,
        amount: Math.abs(c.tx.amount),
        credit: c.tx.amount > 0,
        date: c.tx.bookingDate.toISOString().slice(0, 10),
        payer: c.tx.counterpartyName ?? undefined,
        iban: c.tx.counterpartyIban ?? undefined,
        rf: c.tx.structuredRef ?? undefined,
        text: c.tx.remittance,
        subFamily: c.tx.amount > 0 ? "ESCT" : "CHRG",
      })),
      { account: truth.cases[0]!.tx.accountId, statementDate: statementDate.toISOString().slice(0, 10) },
    );
    const bytes = new TextEncoder().encode(xml);
    const keys = parseStatement("CAMT053", bytes).transactions.map(transactionKey);
    console.log(`  statement: camt.053, ${truth.cases.length} entries, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);

    // The matching alone, read-only: the ledger read from PostgreSQL once, every line matched against it.
    t = process.hrtime.bigint();
    const index = await loadMatchIndex(prisma, creditor.id);
    const parsed = parseStatement("CAMT053", bytes).transactions;
    for (const line of parsed) matchTransaction(line, index, 90);
    const matchSeconds = secondsSince(t);
    console.log(`  matching only (ledger read + ${parsed.length} lines matched, nothing written): ${matchSeconds.toFixed(2)} s`);

    const now = new Date(statementDate.getTime() + 86_400_000);
    t = process.hrtime.bigint();
    const job = await queueStatement(prisma, {
      creditorId: creditor.id,
      userId: null,
      contentType: "application/xml",
      bytes,
      fileName: "bench.xml",
      mappingId: null,
      now,
    });
    await prisma.bankStatementImport.update({ where: { id: job.id }, data: { status: "RUNNING", startedAt: now } });
    const done = await processQueuedStatement(prisma, job.id, { now: () => now });
    const seconds = secondsSince(t);
    if (done.status !== "DONE") throw new Error(`import ${done.status}: ${done.error}`);
    const phases = `matching only ${matchSeconds.toFixed(2)} s; import ${done.status}: new=${done.newCount} applied=${done.applied} suggested=${done.suggested} unmatched=${done.unmatched} ignored=${done.ignored}`;

    const rows = await prisma.bankTransaction.findMany({
      where: { creditorId: creditor.id },
      select: { key: true, status: true, suggestions: true, paymentId: true },
    });
    const allocations = await prisma.paymentAllocation.findMany({
      where: { creditorId: creditor.id },
      select: { invoiceId: true, amount: true, payment: { select: { id: true, debtorId: true } } },
    });
    const byPayment = new Map<string, { debtorId: string; allocations: Allocation[] }>();
    for (const a of allocations) {
      const p = byPayment.get(a.payment.id) ?? { debtorId: a.payment.debtorId, allocations: [] };
      p.allocations.push({ invoiceId: a.invoiceId, amount: a.amount });
      byPayment.set(a.payment.id, p);
    }
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const outcomes = keys.map((key): Outcome => {
      const row = byKey.get(key);
      const suggestedDebtors = ((row?.suggestions ?? []) as { debtorId: string }[]).map((s) => s.debtorId);
      const payment = row?.status === "APPLIED" && row.paymentId ? byPayment.get(row.paymentId) : undefined;
      return {
        auto: row?.status === "APPLIED",
        debtorId: payment?.debtorId ?? null,
        allocations: payment?.allocations ?? [],
        suggestedDebtors,
      };
    });
    return { outcomes, seconds, phases };
  } finally {
    await pool.end();
    await database.close();
  }
}

console.log(
  `bench:reconcile ${dbUrl ? `on PostgreSQL ${new URL(dbUrl).host}` : "in process"} — ${truth.cases.length} transactions, ${truth.ctx.invoices.length} invoices`,
);
const cpu = process.cpuUsage();
const { outcomes, seconds, phases } = dbUrl ? await onPostgres(dbUrl) : inProcess();
const used = process.cpuUsage(cpu);
console.log(`  ${phases}`);

const results = truth.cases.map((c, i) => ({ c, o: outcomes[i]! }));
const payable = results.filter((r) => r.c.payableByRule);
const autoPayable = payable.filter((r) => r.o.auto).length;
const falseAuto = results.filter((r) => r.o.auto && (r.o.debtorId !== r.c.debtorId || !sameAllocations(r.o.allocations, r.c.allocations)));
const known = results.filter((r) => r.c.debtorId && !r.o.auto);
const suggested = known.filter((r) => r.o.suggestedDebtors.includes(r.c.debtorId!)).length;

const byKind = new Map<string, { n: number; auto: number; suggestedRight: number }>();
for (const r of results) {
  const k = byKind.get(r.c.kind) ?? { n: 0, auto: 0, suggestedRight: 0 };
  k.n++;
  if (r.o.auto) k.auto++;
  if (r.o.suggestedDebtors[0] === r.c.debtorId || (r.o.auto && r.o.debtorId === r.c.debtorId)) k.suggestedRight++;
  byKind.set(r.c.kind, k);
}
for (const [kind, k] of byKind) console.log(`  ${kind.padEnd(16)} n=${k.n} auto=${k.auto} top_debtor_right=${k.suggestedRight}`);
for (const r of falseAuto.slice(0, 5))
  console.log("  false auto:", r.c.kind, JSON.stringify(r.c.tx.remittance), JSON.stringify(r.o), JSON.stringify(r.c.allocations));

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : "0.0");
console.log(
  `RESULT transactions=${results.length} seconds=${seconds.toFixed(2)} cpu_seconds=${((used.user + used.system) / 1e6).toFixed(2)} auto_applied_pct=${pct(autoPayable, payable.length)} false_auto_matches=${falseAuto.length} suggested_pct=${pct(suggested, known.length)}`,
);
