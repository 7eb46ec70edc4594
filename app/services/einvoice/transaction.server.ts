import type { Db, PrismaClient } from "~/utils/db.server";

/** Runs `work` in the caller's transaction, or in its own: a transaction client has no $connect (its $transaction makes savepoints). */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const root = typeof (db as Partial<PrismaClient>).$connect === "function";
  return root ? (db as PrismaClient).$transaction((tx) => work(tx), { timeout: 30_000 }) : work(db);
}
