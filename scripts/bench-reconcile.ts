/**
 * `npm run bench:reconcile -- [--transactions 10000] [--invoices 100000] [--debtors 10000] [--seed 42]`
 *
 * Measures the pure cash-application matcher (app/domain/bank/matching.ts)
 * on a generated statement whose right answers are known
 * (app/domain/bank/ground-truth.ts): references, invoice numbers in messy
 * text, lump payments, partials, overpayments, strangers and bank fees.
 * Last line: RESULT transactions=<n> seconds=<x> cpu_seconds=<x> auto_applied_pct=<x>
 * false_auto_matches=<n> suggested_pct=<x>
 */
import { parseArgs } from "node:util";
import { generateGroundTruth } from "~/domain/bank/ground-truth";
import { autoApplicable, buildMatchIndex, suggestMatches } from "~/domain/bank/matching";

const { values } = parseArgs({
  options: {
    transactions: { type: "string", default: "10000" },
    invoices: { type: "string", default: "100000" },
    debtors: { type: "string", default: "10000" },
    seed: { type: "string", default: "42" },
  },
});

const truth = generateGroundTruth({
  transactions: Number(values.transactions),
  invoices: Number(values.invoices),
  debtors: Number(values.debtors),
  seed: Number(values.seed),
});

// Wall time on a shared machine says little: CPU time of this process is reported too.
const cpu = process.cpuUsage();
const started = performance.now();
const index = buildMatchIndex(truth.ctx);
const results = truth.cases.map((c) => {
  const suggestions = suggestMatches(c.tx, index);
  return { c, suggestions, auto: autoApplicable(suggestions[0], suggestions[1]) };
});
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const cpuSeconds = (used.user + used.system) / 1e6;

const same = (a: { invoiceId: string; amount: number }[], b: { invoiceId: string; amount: number }[]) =>
  a.length === b.length &&
  [...a]
    .sort((x, y) => x.invoiceId.localeCompare(y.invoiceId))
    .every((x, i) => {
      const y = [...b].sort((p, q) => p.invoiceId.localeCompare(q.invoiceId))[i]!;
      return x.invoiceId === y.invoiceId && x.amount === y.amount;
    });

const payable = results.filter((r) => r.c.payableByRule);
const autoPayable = payable.filter((r) => r.auto).length;
const falseAuto = results.filter(
  (r) => r.auto && (r.suggestions[0]!.debtorId !== r.c.debtorId || !same(r.suggestions[0]!.allocations, r.c.allocations)),
);
const known = results.filter((r) => r.c.debtorId && !r.auto);
const suggested = known.filter((r) => r.suggestions.some((s) => s.debtorId === r.c.debtorId)).length;

const byKind = new Map<string, { n: number; auto: number; right: number }>();
for (const r of results) {
  const k = byKind.get(r.c.kind) ?? { n: 0, auto: 0, right: 0 };
  k.n++;
  if (r.auto) k.auto++;
  if (r.suggestions[0]?.debtorId === r.c.debtorId) k.right++;
  byKind.set(r.c.kind, k);
}
for (const [kind, k] of byKind) console.log(`${kind.padEnd(16)} n=${k.n} auto=${k.auto} top_debtor_right=${k.right}`);
for (const r of falseAuto.slice(0, 5))
  console.log("false auto:", r.c.kind, JSON.stringify(r.c.tx.remittance), JSON.stringify(r.suggestions[0]));

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : "0.0");
console.log(
  `RESULT transactions=${results.length} seconds=${seconds.toFixed(2)} cpu_seconds=${cpuSeconds.toFixed(2)} auto_applied_pct=${pct(autoPayable, payable.length)} false_auto_matches=${falseAuto.length} suggested_pct=${pct(suggested, known.length)}`,
);
