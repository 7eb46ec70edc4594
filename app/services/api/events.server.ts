import { ApiError, type ApiContext, type ApiResult } from "./handler.server";

/** Cursor = base64url("<occurredAt ISO>|<id>"): stable order (occurredAt, id). */
const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime())) throw new ApiError(400, "invalid_cursor", "The cursor is not one this API returned");
  return { at: date, id };
}

export async function listEvents(ctx: ApiContext, url: URL): Promise<ApiResult> {
  const after = url.searchParams.get("after");
  const limitParam = url.searchParams.get("limit");
  const limit = limitParam === null ? 100 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new ApiError(400, "invalid_request", "limit must be an integer from 1 to 500");
  const cursor = after ? decodeCursor(after) : null;
  const rows = await ctx.tx.communication.findMany({
    where: {
      creditorId: ctx.creditorId,
      ...(cursor ? { OR: [{ occurredAt: { gt: cursor.at } }, { occurredAt: cursor.at, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: {
      id: true,
      occurredAt: true,
      kind: true,
      channel: true,
      direction: true,
      templateKey: true,
      subject: true,
      deliveryStatus: true,
      actorType: true,
      data: true,
      debtor: { select: { externalRef: true } },
      invoice: { select: { number: true } },
    },
  });
  // Emails from unknown senders have no debtor yet, so no trace row: listed here with debtorExternalRef null.
  // Once staff assign one, its email.received event (same data.inboundEmailId) follows with the debtor's ref.
  const unrouted = await ctx.tx.inboundEmail.findMany({
    where: {
      creditorId: ctx.creditorId,
      status: "UNROUTED",
      automated: false,
      ...(cursor ? { OR: [{ receivedAt: { gt: cursor.at } }, { receivedAt: cursor.at, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: { id: true, receivedAt: true, subject: true, fromAddress: true },
  });
  const events = [
    ...rows.map((c) => ({
      id: c.id,
      occurredAt: c.occurredAt,
      kind: c.kind,
      channel: c.channel,
      direction: c.direction,
      templateKey: c.templateKey,
      subject: c.subject,
      deliveryStatus: c.deliveryStatus,
      actorType: c.actorType,
      debtorExternalRef: c.debtor.externalRef as string | null,
      invoiceNumber: c.invoice?.number ?? null,
      data: c.data ?? null,
    })),
    ...unrouted.map((e) => ({
      id: e.id,
      occurredAt: e.receivedAt,
      kind: "email.received",
      channel: "EMAIL" as const,
      direction: "IN" as const,
      templateKey: null,
      subject: e.subject,
      deliveryStatus: "NOT_APPLICABLE" as const,
      actorType: "DEBTOR" as const,
      debtorExternalRef: null,
      invoiceNumber: null,
      data: { inboundEmailId: e.id, from: e.fromAddress, intent: null, unknownSender: true },
    })),
  ].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = events.slice(0, limit);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      data: page.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      hasMore: events.length > limit,
      // Keep polling from here even when the page is empty.
      nextCursor: last ? encodeCursor(last.occurredAt, last.id) : after,
    },
  };
}
