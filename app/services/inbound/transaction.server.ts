import type { Db, PrismaClient } from "~/utils/db.server";

/**
 * Runs `work` in the caller's transaction, or in a new one when given the root client. A transaction
 * client has no $connect (its $transaction would ask for a savepoint, which PGlite's adapter lacks).
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const root = typeof (db as Partial<PrismaClient>).$connect === "function";
  return root ? (db as PrismaClient).$transaction((tx) => work(tx), { timeout: 30_000 }) : work(db);
}
