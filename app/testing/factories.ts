import crypto from "node:crypto";
import { addDays } from "~/domain/clock";
import { toCreditorReference } from "~/domain/payments/reference";
import { createInvoice } from "~/services/intake/invoices.server";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import type { Db } from "~/utils/db.server";

/** Test data factories: every test makes its own creditor (tenant), so tests never share rows. */
const uid = () => crypto.randomBytes(4).toString("hex");

export async function makeCreditor(db: Db, overrides: Record<string, unknown> = {}) {
  const slug = `creditor-${uid()}`;
  const creditor = await db.creditor.create({
    data: {
      slug,
      legalName: `Créancier ${slug} SAS`,
      siren: "732829320",
      city: "Lyon",
      contactEmail: `${slug}@example.test`,
      dunningEnabled: true,
      ...overrides,
    },
  });
  const policy = await ensureDefaultPolicy(db, creditor.id);
  return { creditor, policy };
}

export async function makeDebtor(
  db: Db,
  creditorId: string,
  overrides: Partial<{
    kind: "BUSINESS" | "CONSUMER";
    email: string | null;
    locale: "fr" | "en";
    name: string;
    riskSegment: "GOOD" | "STANDARD" | "LATE_PAYER";
  }> = {},
) {
  const ref = `D-${uid()}`;
  return db.debtor.create({
    data: {
      creditorId,
      externalRef: ref,
      kind: overrides.kind ?? "BUSINESS",
      name: overrides.name ?? `Client ${ref}`,
      email: overrides.email === undefined ? `${ref.toLowerCase()}@example.test` : overrides.email,
      locale: overrides.locale ?? "fr",
      riskSegment: overrides.riskSegment ?? "STANDARD",
      transferReference: toCreditorReference(ref),
    },
  });
}

export async function makeInvoice(
  db: Db,
  ctx: { creditorId: string; debtorId: string; policy: Awaited<ReturnType<typeof ensureDefaultPolicy>> },
  opts: { dueDate: Date; amount?: number; now: Date; number?: string },
) {
  return createInvoice(db, {
    creditorId: ctx.creditorId,
    debtorId: ctx.debtorId,
    policy: ctx.policy,
    number: opts.number ?? `F-${uid()}`,
    issueDate: addDays(opts.dueDate, -30),
    dueDate: opts.dueDate,
    amount: opts.amount ?? 100_00,
    currency: "EUR",
    now: opts.now,
  });
}
