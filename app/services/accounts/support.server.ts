import type { PrismaClient } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";

/** Runs `fn` in a transaction, or in the caller's when `db` already is one. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return "$transaction" in db ? (db as PrismaClient).$transaction((tx) => fn(tx), { timeout: 30_000 }) : fn(db);
}

export const creditorName = (c: { legalName: string; brandName: string | null }) => c.brandName?.trim() || c.legalName;
