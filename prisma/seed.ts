import { pathToFileURL } from "node:url";
import bcrypt from "bcryptjs";
import { addDays, startOfDayUTC, systemClock, type Clock } from "~/domain/clock";
import { toCreditorReference } from "~/domain/payments/reference";
import { splitEvenly } from "~/domain/money";
import { ensureDefaultPolicy } from "~/services/dunning/policies.server";
import { applyInvoiceEvent } from "~/services/dunning/invoice-events.server";
import { createInvoice } from "~/services/intake/invoices.server";
import { openDatabase, type PrismaClient } from "~/utils/db.server";
import { DEMO_AGENT, DEMO_CREDITOR, DEMO_DEBTORS, DEMO_OWNER } from "./demo-data";

/**
 * Loads the demo data set. Idempotent: when the demo creditor exists already,
 * nothing is written. Returns the creditor id.
 */
export async function seedDemo(prisma: PrismaClient, clock: Clock = systemClock): Promise<{ creditorId: string; created: boolean }> {
  const existing = await prisma.creditor.findUnique({ where: { slug: DEMO_CREDITOR.slug }, select: { id: true } });
  if (existing) return { creditorId: existing.id, created: false };

  const today = startOfDayUTC(clock.now());
  const [ownerHash, agentHash] = await Promise.all([bcrypt.hash(DEMO_OWNER.password, 10), bcrypt.hash(DEMO_AGENT.password, 10)]);

  const creditorId = await prisma.$transaction(
    async (tx) => {
      const creditor = await tx.creditor.create({ data: DEMO_CREDITOR });
      await tx.user.createMany({
        data: [
          { creditorId: creditor.id, email: DEMO_OWNER.email, name: DEMO_OWNER.name, role: "OWNER", passwordHash: ownerHash },
          { creditorId: creditor.id, email: DEMO_AGENT.email, name: DEMO_AGENT.name, role: "AGENT", passwordHash: agentHash },
        ],
      });
      const policy = await ensureDefaultPolicy(tx, creditor.id);

      for (const d of DEMO_DEBTORS) {
        const debtor = await tx.debtor.create({
          data: {
            creditorId: creditor.id,
            externalRef: d.externalRef,
            kind: d.kind,
            name: d.name,
            legalId: d.legalId ?? null,
            locale: d.locale,
            email: d.email,
            phone: d.phone ?? null,
            addressLine1: d.address.line1,
            postalCode: d.address.postalCode,
            city: d.address.city,
            country: d.address.country,
            ...d.credit,
            transferReference: toCreditorReference(`ATD${d.externalRef}`),
          },
        });
        for (const inv of d.invoices) {
          const dueDate = addDays(today, inv.dueInDays);
          const invoice = await createInvoice(tx, {
            creditorId: creditor.id,
            debtorId: debtor.id,
            policy,
            number: inv.number,
            issueDate: addDays(dueDate, -30),
            dueDate,
            amount: inv.amount,
            currency: "EUR",
            description: `Demo invoice — ${inv.stage}`,
            now: today,
          });
          if (inv.lines) {
            await tx.invoiceLine.createMany({
              data: inv.lines.map((line, position) => ({ creditorId: creditor.id, invoiceId: invoice.id, position, ...line })),
            });
          }
          const event = (e: Parameters<typeof applyInvoiceEvent>[1]["event"], at: Date = today) =>
            applyInvoiceEvent(tx, { creditorId: creditor.id, invoiceId: invoice.id, event: e, actor: { type: "SYSTEM" }, now: at });
          if (inv.paid) {
            const paidAt = addDays(dueDate, 2);
            await seedPayment(tx, creditor.id, debtor.id, invoice.id, inv.paid, paidAt);
            await event({ type: "PAYMENT_SUCCEEDED", balanceAfter: inv.amount - inv.paid, amountPaidAfter: inv.paid }, paidAt);
          }
          if (inv.dispute) {
            await tx.dispute.create({
              data: {
                creditorId: creditor.id,
                debtorId: debtor.id,
                invoiceId: invoice.id,
                reason: inv.dispute.reason,
                message: inv.dispute.message,
                messages: { create: { creditorId: creditor.id, author: "DEBTOR", authorName: d.name, body: inv.dispute.message } },
              },
            });
            await event({ type: "DISPUTE_OPENED" });
          }
          if (inv.plan) {
            const parts = splitEvenly(inv.amount, inv.plan.installments);
            await tx.installmentPlan.create({
              data: {
                creditorId: creditor.id,
                debtorId: debtor.id,
                status: "ACTIVE",
                proposedBy: "DEBTOR",
                totalAmount: inv.amount,
                decidedAt: addDays(today, -3),
                invoices: { create: { creditorId: creditor.id, invoiceId: invoice.id, amount: inv.amount } },
                installments: {
                  create: parts.map((amount, position) => ({
                    creditorId: creditor.id,
                    position,
                    amount,
                    dueDate: addDays(today, 7 + 30 * position),
                  })),
                },
              },
            });
            await event({ type: "PLAN_ACTIVATED" });
          }
          if (inv.promiseInDays !== undefined) {
            const promisedAt = addDays(today, inv.promiseInDays);
            await tx.promiseToPay.create({
              data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoice.id, promisedAt, amount: inv.amount },
            });
            await event({ type: "PROMISE_MADE", until: addDays(promisedAt, creditor.promiseGraceDays + 1) });
          }
        }
      }
      return creditor.id;
    },
    { timeout: 60_000 },
  );
  return { creditorId, created: true };
}

async function seedPayment(
  tx: Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0],
  creditorId: string,
  debtorId: string,
  invoiceId: string,
  paid: number,
  at: Date,
) {
  await tx.payment.create({
    data: {
      creditorId,
      debtorId,
      provider: "TRANSFER",
      status: "SUCCEEDED",
      amount: paid,
      succeededAt: at,
      idempotencyKey: `seed:${invoiceId}`,
      providerRef: `seed-transfer-${invoiceId}`,
      allocations: { create: { creditorId, invoiceId, amount: paid } },
    },
  });
  await tx.invoice.update({ where: { id: invoiceId }, data: { amountPaid: paid } });
}

// `npm run db:seed`: seeds the database named by DATABASE_URL (refuses while a server holds the embedded one).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const database = await openDatabase(process.env.DATABASE_URL, { migrate: true });
  try {
    const { created } = await seedDemo(database.prisma);
    console.log(created ? "Demo data loaded." : "Demo data already present: nothing to do.");
  } finally {
    await database.close();
  }
}
