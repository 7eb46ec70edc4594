import type { ActionFunctionArgs } from "@remix-run/node";
import { ApiError, handleApi, methodNotAllowed } from "~/services/api/handler.server";
import { importStatement, StatementRefused } from "~/services/bank/imports.server";
import { wakeJob } from "~/services/wake.server";

export const loader = () => methodNotAllowed(["POST"]);

/** POST /api/v1/bank-statements: the statement file is the body (camt.053/054, CFONB 120, OFX, CSV with ?mapping=<id>). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const url = new URL(request.url);
  const response = await handleApi(request, {
    raw: true,
    run: async (ctx, body) => {
      const { contentType, bytes } = body as { contentType: string; bytes: Uint8Array };
      try {
        const result = await importStatement(ctx.tx, {
          creditorId: ctx.creditorId,
          userId: null,
          contentType,
          bytes,
          fileName: url.searchParams.get("fileName") ?? "api-upload",
          mappingId: url.searchParams.get("mapping"),
          now: ctx.now,
        });
        return {
          status: 201,
          body: {
            id: result.importId,
            format: result.format,
            transactions: result.transactions,
            new: result.new,
            applied: result.applied,
            suggested: result.suggested,
            unmatched: result.unmatched,
            ignored: result.ignored,
          },
        };
      } catch (error) {
        if (error instanceof StatementRefused)
          throw new ApiError(
            422,
            error.code === "parse_error" ? "statement_unreadable" : error.code,
            error.message,
            error.where ? { where: error.where } : undefined,
          );
        throw error;
      }
    },
  });
  if (response.status === 201) void wakeJob("outbox_send"); // receipts queued by applied matches
  return response;
}
