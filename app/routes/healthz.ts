import { getDatabase } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

/** Liveness + database check for load balancers and operators. */
export async function loader() {
  const started = performance.now();
  try {
    const database = getDatabase();
    await database.prisma.$queryRaw`SELECT 1`;
    return Response.json(
      { status: "ok", database: database.kind, latencyMs: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    logger.error({ err: error }, "health check failed");
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
