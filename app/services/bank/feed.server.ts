import crypto from "node:crypto";
import { isoDay } from "~/domain/clock";
import { decimalToMinor } from "~/domain/bank/decimal";
import type { BankTransactionInput, ParsedStatement } from "~/domain/bank/types";
import {
  createRequisition,
  getRequisition,
  listInstitutions,
  listTransactions,
  type BankDataTransaction,
} from "~/providers/gocardless-bank-data.server";
import type { Db, PrismaClient } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { wakeJob } from "../wake.server";
import { processTransactions, storeTransactions } from "./imports.server";

/**
 * Open-banking feed (GoCardless Bank Account Data): staff link the creditor's
 * account once (institution → the bank's consent page → callback), then a
 * daily job and a "sync now" button bring the booked transactions through
 * the same storage and matching as an uploaded statement.
 */
export const institutionsFor = (country: string) => listInstitutions(country);

export async function startBankConnection(
  db: Db,
  input: { creditorId: string; institutionId: string; callbackUrl: string; locale: "fr" | "en" },
) {
  const institution = (await listInstitutions("fr")).find((i) => i.id === input.institutionId);
  if (!institution) return null;
  const reference = crypto.randomUUID();
  const requisition = await createRequisition({
    institutionId: institution.id,
    redirect: input.callbackUrl,
    reference,
    language: input.locale === "en" ? "EN" : "FR",
  });
  await db.bankConnection.create({
    data: {
      id: reference,
      creditorId: input.creditorId,
      institutionId: institution.id,
      institutionName: institution.name,
      requisitionId: requisition.id,
    },
  });
  return { link: requisition.link };
}

/** The bank sent the user back (?ref=<our connection id>): linked accounts recorded, first sync run. */
export async function completeBankConnection(db: PrismaClient, input: { creditorId: string; reference: string; now: Date }) {
  const connection = await db.bankConnection.findFirst({ where: { id: input.reference, creditorId: input.creditorId } });
  if (!connection) return null;
  const requisition = await getRequisition(connection.requisitionId);
  const linked = requisition.status === "LN" && requisition.accounts.length > 0;
  await db.bankConnection.update({
    where: { id: connection.id },
    data: {
      status: linked ? "LINKED" : "FAILED",
      accountIds: requisition.accounts,
      lastError: linked ? null : `requisition ${requisition.status}`,
    },
  });
  if (linked) await syncBankConnection(db, connection.id, input.now);
  return { linked };
}

/** A GoCardless booked transaction in the parsers' shape (credits positive, the payer is the debtor side). */
export function feedTransaction(accountId: string, t: BankDataTransaction, position: number): BankTransactionInput | null {
  const amount = decimalToMinor(t.transactionAmount.amount, t.transactionAmount.currency);
  const bookingDate = new Date(`${t.bookingDate.slice(0, 10)}T00:00:00Z`);
  if (amount === null || Number.isNaN(bookingDate.getTime())) return null;
  const credit = amount > 0;
  const remittance = [t.remittanceInformationUnstructured, ...(t.remittanceInformationUnstructuredArray ?? [])]
    .filter(Boolean)
    .join(" ")
    .trim();
  const structured = t.remittanceInformationStructured ?? /\bRF\d{2}[0-9A-Z]{1,21}\b/.exec(remittance.replace(/\s+/g, ""))?.[0] ?? null;
  return {
    entryRef: t.transactionId ?? t.internalTransactionId ?? null,
    accountId,
    bookingDate,
    valueDate: t.valueDate ? new Date(`${t.valueDate.slice(0, 10)}T00:00:00Z`) : null,
    amount,
    currency: t.transactionAmount.currency,
    counterpartyName: (credit ? t.debtorName : t.creditorName) ?? null,
    counterpartyIban: (credit ? t.debtorAccount?.iban : t.creditorAccount?.iban) ?? null,
    remittance,
    structuredRef: structured,
    bankCode: t.bankTransactionCode ?? t.proprietaryBankTransactionCode ?? null,
    reversal: false,
    position,
  };
}

/** Pulls each linked account's booked transactions since the last sync (a few days back: late bookings) and imports them. */
export async function syncBankConnection(db: PrismaClient, connectionId: string, now: Date) {
  const connection = await db.bankConnection.findUniqueOrThrow({ where: { id: connectionId } });
  const since = connection.lastSyncedAt ? isoDay(new Date(connection.lastSyncedAt.getTime() - 7 * 86_400_000)) : undefined;
  const counts = { transactions: 0, new: 0, applied: 0, suggested: 0, unmatched: 0, ignored: 0 };
  try {
    for (const accountId of connection.accountIds) {
      const booked = await listTransactions(accountId, { dateFrom: since });
      const transactions = booked.map((t, n) => feedTransaction(accountId, t, n + 1)).filter((t): t is BankTransactionInput => t !== null);
      const parsed: ParsedStatement = {
        format: "CAMT053",
        accountId,
        currency: transactions[0]?.currency ?? "EUR",
        statementDate: now,
        transactions,
      };
      const result = await db.$transaction(
        async (tx) => {
          const row = await tx.bankStatementImport.create({
            data: {
              creditorId: connection.creditorId,
              format: "FEED",
              contentType: "application/json",
              fileName: `${connection.institutionName} ${isoDay(now)}`,
              status: "RUNNING",
              startedAt: now,
              transactions: transactions.length,
            },
          });
          const ids = await storeTransactions(tx, connection.creditorId, row.id, parsed);
          const c = await processTransactions(tx, connection.creditorId, ids, { now, importId: row.id });
          await tx.bankStatementImport.update({
            where: { id: row.id },
            data: { status: "DONE", newCount: ids.length, ...c, finishedAt: now },
          });
          return { transactions: transactions.length, new: ids.length, ...c };
        },
        { timeout: 120_000 },
      );
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += result[k];
    }
    await db.bankConnection.update({ where: { id: connection.id }, data: { lastSyncedAt: now, lastError: null } });
  } catch (error) {
    logger.warn({ err: error, connectionId }, "bank feed sync failed");
    await db.bankConnection.update({ where: { id: connection.id }, data: { lastError: (error as Error).message.slice(0, 500) } });
    throw error;
  }
  if (counts.applied > 0) void wakeJob("outbox_send");
  return counts;
}

/** Daily job: every linked account of every creditor; one failing bank does not stop the others. */
export async function syncAllBankConnections(db: PrismaClient, now: Date) {
  const connections = await db.bankConnection.findMany({ where: { status: "LINKED" }, select: { id: true } });
  let synced = 0;
  for (const c of connections) {
    try {
      await syncBankConnection(db, c.id, now);
      synced++;
    } catch {
      // recorded on the connection (lastError) and logged
    }
  }
  return synced;
}

export async function bankConnections(db: Db, creditorId: string) {
  return db.bankConnection.findMany({ where: { creditorId }, orderBy: { createdAt: "desc" } });
}
