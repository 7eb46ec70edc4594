import crypto from "node:crypto";
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { db as defaultDb, type Db, type PrismaClient } from "~/utils/db.server";
import { authenticateApiKey } from "./keys.server";

/**
 * REST API v1 (creditor API keys). Every handler runs inside one transaction
 * scoped to the key's creditor; a row of another creditor is simply "not
 * found". Errors are `{ error: { code, message, details? } }`.
 *
 * Status codes: 400 malformed JSON or a body that fails its schema, 401 no or
 * bad key, 404 unknown resource, 405 wrong method, 409 the resource's state
 * forbids it (settled invoice…), 422 well-formed but unprocessable (unknown
 * debtor, amount above the balance, Idempotency-Key reused with another body).
 */
export class ApiError extends Error {
  constructor(
    public readonly status: 400 | 401 | 404 | 405 | 409 | 422,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type ApiResult = { status: number; body: unknown };
export type ApiContext = { creditorId: string; keyId: string; now: Date; tx: Db; idempotencyKey: string | null };

const errorResult = (e: ApiError): ApiResult => ({
  status: e.status,
  body: { error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) } },
});

function respond(result: ApiResult, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export function methodNotAllowed(allowed: string[]) {
  return respond(errorResult(new ApiError(405, "method_not_allowed", `Use ${allowed.join(" or ")}`)), { Allow: allowed.join(", ") });
}

const zodDetails = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message }));

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/**
 * Runs one API call: authenticates, parses and validates the body, and — for
 * writes carrying an `Idempotency-Key` (required on every POST, optional on
 * PUT) — claims the key and stores the first answer in the same transaction
 * as the change, so a retry or a concurrent twin replays it and never applies twice.
 */
export async function handleApi<S extends z.ZodType>(
  request: Request,
  spec: { schema?: S; raw?: boolean; run: (ctx: ApiContext, body: z.output<S>) => Promise<ApiResult> },
  opts: { db?: PrismaClient; now?: Date } = {},
): Promise<Response> {
  const database = opts.db ?? (defaultDb as PrismaClient);
  const now = opts.now ?? new Date();
  const auth = await authenticateApiKey(database, request.headers.get("Authorization"), now);
  if (!auth) {
    return respond(errorResult(new ApiError(401, "unauthorized", "Missing, unknown or revoked API key (Authorization: Bearer rl_…)")), {
      "WWW-Authenticate": 'Bearer realm="relance"',
    });
  }
  const write = request.method === "POST" || request.method === "PUT";
  const key = write ? request.headers.get("Idempotency-Key") : null;
  // A POST is not safe to retry without one (a payment would be booked twice); a PUT is.
  if (request.method === "POST" && key === null) {
    return respond(
      errorResult(
        new ApiError(400, "idempotency_key_required", "POST requests need an Idempotency-Key header (any unique string, e.g. a UUID)", {
          header: "Idempotency-Key",
        }),
      ),
    );
  }
  if (key !== null && (key.length < 1 || key.length > 255)) {
    return respond(
      errorResult(
        new ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters", { header: "Idempotency-Key" }),
      ),
    );
  }
  let body: unknown = undefined;
  let bodyHash: string | null = null;
  if (write && spec.raw) {
    // A file upload (bank statement): the handler gets the bytes and their type; the replay check hashes the bytes.
    const bytes = new Uint8Array(await request.arrayBuffer());
    bodyHash = crypto.createHash("sha256").update(bytes).digest("hex");
    body = { contentType: request.headers.get("Content-Type") ?? "", bytes };
  } else if (write) {
    const text = await request.text();
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return respond(errorResult(new ApiError(400, "invalid_json", "The request body is not valid JSON")));
    }
  }
  const path = new URL(request.url).pathname;
  const requestHash = crypto
    .createHash("sha256")
    .update(`${request.method} ${path}${spec.raw ? new URL(request.url).search : ""}\n${bodyHash ?? JSON.stringify(body ?? null)}`)
    .digest("hex");

  const replay = async () => {
    const record = key
      ? await database.idempotencyRecord.findUnique({ where: { creditorId_key: { creditorId: auth.creditorId, key } } })
      : null;
    if (!record) return null;
    if (record.requestHash !== requestHash || record.method !== request.method || record.path !== path) {
      return respond(errorResult(new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request")));
    }
    return respond({ status: record.status, body: record.body }, { "Idempotent-Replayed": "true" });
  };
  const remember = (tx: Db, result: ApiResult) =>
    key
      ? tx.idempotencyRecord.create({
          data: {
            creditorId: auth.creditorId,
            key,
            method: request.method,
            path,
            requestHash,
            status: result.status,
            body: result.body as Prisma.InputJsonValue,
          },
        })
      : null;
  const answer = (tx: Db, id: string, result: ApiResult) =>
    tx.idempotencyRecord.update({ where: { id }, data: { status: result.status, body: result.body as Prisma.InputJsonValue } });

  const earlier = await replay();
  if (earlier) return earlier;

  let result: ApiResult;
  try {
    result = await database.$transaction(
      async (tx) => {
        // The key is claimed before any work: a concurrent call with the same
        // key waits on the unique index here, then fails and replays this
        // answer. Nobody sees the placeholder: it commits with the real answer.
        const claim = await remember(tx, { status: 0, body: {} });
        const parsed = spec.schema ? spec.schema.safeParse(body) : { success: true as const, data: body };
        if (!parsed.success) throw new ApiError(400, "invalid_request", "The request body is invalid", zodDetails(parsed.error));
        const ok = await spec.run(
          { creditorId: auth.creditorId, keyId: auth.keyId, now, tx, idempotencyKey: key },
          parsed.data as z.output<S>,
        );
        if (claim) await answer(tx, claim.id, ok);
        return ok;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error) && key) {
      // A concurrent call with the same key won the race: answer as it did.
      const winner = await replay();
      if (winner) return winner;
    }
    if (!(error instanceof ApiError)) throw error;
    result = errorResult(error);
    // Refusals are answered the same way on retry (the change did not happen).
    try {
      await remember(database, result);
    } catch (again) {
      if (!isUniqueViolation(again)) throw again;
      return (await replay()) ?? respond(result);
    }
  }
  return respond(result);
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
