import crypto from "node:crypto";
import type { ImportRow, RowError } from "~/domain/intake/csv-import";
import { initialDunningState } from "~/domain/dunning";
import { toCreditorReference } from "~/domain/payments/reference";
import type { Db } from "~/utils/db.server";
import { creditorTimeZone } from "../creditor-clock.server";
import type { Actor } from "../dunning/invoice-events.server";
import { ensureDefaultPolicy, type PolicyWithLevels } from "../dunning/policies.server";
import { rescheduleInvoices } from "../dunning/reschedule.server";

const ts = (date: Date) => date.toISOString().replace("Z", "");
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export type Policies = { byId: Map<string, PolicyWithLevels>; fallback: PolicyWithLevels };

export async function loadPolicies(db: Db, creditorId: string): Promise<Policies> {
  const fallback = await ensureDefaultPolicy(db, creditorId);
  const all = await db.dunningPolicy.findMany({
    where: { creditorId },
    select: {
      id: true,
      levels: { select: { position: true, offsetDays: true, channel: true, templateKey: true, tone: true }, orderBy: { position: "asc" } },
    },
  });
  return { byId: new Map(all.map((p) => [p.id, p])), fallback };
}

/**
 * One batch, set-based: debtors upserted by (creditor, externalRef), invoices
 * by (creditor, number) — a re-import updates, never doubles — and each new
 * invoice's dunning state computed by the same `initialDunningState` that
 * `createInvoice` uses; an updated one rescheduled by `rescheduleInvoices`. An invoice already settled, or whose payments the new
 * amount / currency / debtor would contradict, is left as it is and reported.
 */
export async function writeBatch(
  db: Db,
  creditorId: string,
  rows: ImportRow[],
  ctx: { now: Date; policies: Policies; locale: "fr" | "en"; actor?: Actor },
): Promise<{ created: number; updated: number; locked: RowError[] }> {
  const debtorIds = await upsertDebtors(db, creditorId, rows, ctx);
  const invoices = rows.map((r) => ({
    number: r.invoiceNumber,
    debtorId: debtorIds.get(r.debtorRef)!.id,
    issue: isoDay(r.issueDate),
    due: isoDay(r.dueDate),
    amount: r.amount,
    currency: r.currency,
  }));
  const written = await db.$queryRawUnsafe<{ id: string; number: string; debtorId: string; inserted: boolean }[]>(
    `INSERT INTO "Invoice" (id, "creditorId", "debtorId", number, "issueDate", "dueDate", amount, currency, "createdAt", "updatedAt")
     SELECT gen_random_uuid()::text, $1, x."debtorId", x.number, x.issue::date, x.due::date, x.amount, x.currency, $2::timestamp, $2::timestamp
     FROM json_to_recordset($3::json) AS x(number text, "debtorId" text, issue text, due text, amount int, currency text)
     ON CONFLICT ("creditorId", number) DO UPDATE SET
       "debtorId" = EXCLUDED."debtorId", "issueDate" = EXCLUDED."issueDate", "dueDate" = EXCLUDED."dueDate",
       amount = EXCLUDED.amount, currency = EXCLUDED.currency, "updatedAt" = EXCLUDED."updatedAt"
     WHERE "Invoice".status IN ('OPEN', 'PARTIALLY_PAID')
       AND EXCLUDED.amount > "Invoice"."amountPaid" + "Invoice"."amountCredited"
       AND ("Invoice"."amountPaid" + "Invoice"."amountCredited" = 0
            OR (EXCLUDED.currency = "Invoice".currency AND EXCLUDED."debtorId" = "Invoice"."debtorId"))
     RETURNING id, number, "debtorId", (xmax = 0) AS inserted`,
    creditorId,
    ts(ctx.now),
    JSON.stringify(invoices),
  );
  const byNumber = new Map(rows.map((r) => [r.invoiceNumber, r]));
  const timeZone = await creditorTimeZone(db, creditorId);
  const policyOf = new Map([...debtorIds.values()].map((d) => [d.id, d.policyId]));
  const states = written
    .filter((w) => w.inserted)
    .map((w) => {
      const row = byNumber.get(w.number)!;
      const policyId = policyOf.get(w.debtorId);
      const policy = (policyId && ctx.policies.byId.get(policyId)) || ctx.policies.fallback;
      const state = initialDunningState(row.dueDate, policy.levels, ctx.now, timeZone);
      return { invoiceId: w.id, policyId: policy.id, level: state.level, next: state.nextActionAt ? ts(state.nextActionAt) : null };
    });
  if (states.length) {
    await db.$executeRawUnsafe(
      `INSERT INTO "DunningState" ("invoiceId", "creditorId", "policyId", level, "nextActionAt", "updatedAt")
       SELECT x."invoiceId", $1, x."policyId", x.level, x.next::timestamp, $2::timestamp
       FROM json_to_recordset($3::json) AS x("invoiceId" text, "policyId" text, level int, next text)`,
      creditorId,
      ts(ctx.now),
      JSON.stringify(states),
    );
  }
  // A re-import that moved a due date or an amount moves the schedule, through the one rescheduling function.
  const updated = written.filter((w) => !w.inserted).map((w) => w.id);
  await rescheduleInvoices(db, {
    creditorId,
    invoiceIds: updated,
    now: ctx.now,
    actor: ctx.actor ?? { type: "SYSTEM", id: "csv-import" },
    reason: "import",
  });
  const touched = new Set(written.map((w) => w.number));
  const locked: RowError[] = rows
    .filter((r) => !touched.has(r.invoiceNumber))
    .map((r) => ({ line: r.line, field: "invoiceNumber", code: "invoice_locked", value: r.invoiceNumber }));
  return { created: states.length, updated: written.length - states.length, locked };
}

type DebtorKey = { id: string; policyId: string | null };

async function upsertDebtors(db: Db, creditorId: string, rows: ImportRow[], ctx: { now: Date; locale: "fr" | "en" }) {
  // The last line wins for a debtor named on several lines.
  const latest = new Map(rows.map((r) => [r.debtorRef, r]));
  const refs = [...latest.keys()];
  const existing = await db.$queryRawUnsafe<{ externalRef: string }[]>(
    `SELECT "externalRef" FROM "Debtor" WHERE "creditorId" = $1 AND "externalRef" IN (SELECT value FROM json_array_elements_text($2::json))`,
    creditorId,
    JSON.stringify(refs),
  );
  const known = new Set(existing.map((d) => d.externalRef));
  const fresh = refs.filter((ref) => !known.has(ref));
  const transferRefs = await transferReferences(db, creditorId, fresh);
  const payload = (ref: string) => {
    const r = latest.get(ref)!;
    return { ref, name: r.debtorName, kind: r.debtorKind, email: r.debtorEmail, locale: r.debtorLanguage };
  };
  if (fresh.length) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Debtor" (id, "creditorId", "externalRef", kind, name, email, locale, "transferReference", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1, x.ref, COALESCE(x.kind, 'BUSINESS')::"DebtorKind", x.name, x.email,
              COALESCE(x.locale, $3)::"Locale", x.tref, $2::timestamp, $2::timestamp
       FROM json_to_recordset($4::json) AS x(ref text, name text, kind text, email text, locale text, tref text)
       ON CONFLICT ("creditorId", "externalRef") DO NOTHING`,
      creditorId,
      ts(ctx.now),
      ctx.locale,
      JSON.stringify(fresh.map((ref) => ({ ...payload(ref), tref: transferRefs.get(ref) }))),
    );
  }
  const updates = refs.filter((ref) => known.has(ref));
  if (updates.length) {
    // Optional columns left empty keep what the debtor already has.
    await db.$executeRawUnsafe(
      `UPDATE "Debtor" d SET name = x.name, kind = COALESCE(x.kind::"DebtorKind", d.kind), email = COALESCE(x.email, d.email),
              locale = COALESCE(x.locale::"Locale", d.locale), "updatedAt" = $2::timestamp
       FROM json_to_recordset($3::json) AS x(ref text, name text, kind text, email text, locale text)
       WHERE d."creditorId" = $1 AND d."externalRef" = x.ref
         AND (d.name, d.kind::text, d.email, d.locale::text) IS DISTINCT FROM
             (x.name, COALESCE(x.kind, d.kind::text), COALESCE(x.email, d.email), COALESCE(x.locale, d.locale::text))`,
      creditorId,
      ts(ctx.now),
      JSON.stringify(updates.map(payload)),
    );
  }
  const ids = await db.$queryRawUnsafe<{ id: string; externalRef: string; policyId: string | null }[]>(
    `SELECT id, "externalRef", "policyId" FROM "Debtor" WHERE "creditorId" = $1 AND "externalRef" IN (SELECT value FROM json_array_elements_text($2::json))`,
    creditorId,
    JSON.stringify(refs),
  );
  return new Map<string, DebtorKey>(ids.map((d) => [d.externalRef, { id: d.id, policyId: d.policyId }]));
}

/**
 * Each debtor's RF transfer reference, unique per creditor. Two references
 * can fold to the same one (case, punctuation, 21-character cut): the later
 * gets one derived from a hash of its reference instead.
 */
export async function transferReferences(db: Db, creditorId: string, refs: string[]): Promise<Map<string, string>> {
  const derived = (ref: string, salt: number) =>
    toCreditorReference(crypto.createHash("sha256").update(`${salt}:${ref}`).digest("hex").slice(0, 16).toUpperCase());
  const wanted = new Map(refs.map((ref) => [ref, /[A-Za-z0-9]/.test(ref) ? toCreditorReference(ref) : derived(ref, 0)]));
  const taken = new Set(
    (
      await db.$queryRawUnsafe<{ transferReference: string }[]>(
        `SELECT "transferReference" FROM "Debtor" WHERE "creditorId" = $1 AND "transferReference" IN (SELECT value FROM json_array_elements_text($2::json))`,
        creditorId,
        JSON.stringify([...wanted.values()]),
      )
    ).map((r) => r.transferReference),
  );
  const result = new Map<string, string>();
  for (const [ref, candidate] of wanted) {
    let value = candidate;
    for (let salt = 1; taken.has(value); salt++) value = derived(ref, salt);
    taken.add(value);
    result.set(ref, value);
  }
  return result;
}
