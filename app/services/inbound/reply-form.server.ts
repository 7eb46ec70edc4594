import { z } from "zod";
import type { PrismaClient } from "~/utils/db.server";
import { wakeJob } from "../wake.server";
import { LearnSenderError } from "./routing.server";
import {
  acceptReply,
  assignUnknownSender,
  dismissReply,
  REPLY_INTENTS,
  ReplyError,
  REQUESTED_DOCUMENTS,
  type ReplyEdit,
} from "./replies.server";

/**
 * The inbox forms of the Réponses section (accept, edit then accept, dismiss, assign a sender): read the
 * posted fields, run the decision in one transaction, and say what to show next — a confirmation, or
 * the error of one field with the user's values kept (no JavaScript needed).
 */
export type ReplyFormResult =
  | { ok: true; done: "replyPromise" | "replyDispute" | "replyRequest" | "replyHandled" | "replyDismissed" | "replyAssigned" }
  | { ok: false; notFound?: boolean; field: string; error: string };

const Edit = z.object({
  intent: z.enum(REPLY_INTENTS),
  date: z.union([z.literal(""), z.iso.date()]).optional(),
  requested: z.union([z.literal(""), z.enum(REQUESTED_DOCUMENTS)]).optional(),
});

type Staff = { userId: string; creditorId: string };

export async function handleReplyForm(db: PrismaClient, form: FormData, staff: Staff, now: Date): Promise<ReplyFormResult> {
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const action = field("intent");
  const inboundEmailId = field("inboundEmailId");
  try {
    if (action === "reply-dismiss") {
      await dismissReply(db, { creditorId: staff.creditorId, inboundEmailId, staff, now });
      return { ok: true, done: "replyDismissed" };
    }
    if (action === "reply-assign") {
      const debtorId = field("debtorId");
      if (!debtorId) return { ok: false, field: "debtorId", error: "replies.error.debtor_not_found" };
      await assignUnknownSender(db, { creditorId: staff.creditorId, inboundEmailId, debtorId, staff });
      void wakeJob("inbound_process");
      return { ok: true, done: "replyAssigned" };
    }
    if (action === "reply-accept") {
      let edit: ReplyEdit | undefined;
      if (field("edited") === "1") {
        const parsed = Edit.safeParse({ intent: field("replyIntent"), date: field("date"), requested: field("requested") });
        if (!parsed.success) {
          const path = String(parsed.error.issues[0]?.path[0] ?? "intent");
          return { ok: false, field: path, error: path === "date" ? "replies.error.date" : "replies.error.required" };
        }
        edit = {
          intent: parsed.data.intent,
          date: parsed.data.date ? new Date(`${parsed.data.date}T00:00:00Z`) : null,
          invoiceIds: form.getAll("invoiceId").map(String).filter(Boolean),
          ...(parsed.data.requested ? { requested: parsed.data.requested } : {}),
        };
      }
      const outcome = await acceptReply(db, { creditorId: staff.creditorId, inboundEmailId, edit, staff, now });
      if (outcome.documentsQueued) void wakeJob("outbox_send");
      const done = { promise: "replyPromise", dispute: "replyDispute", request: "replyRequest" } as const;
      return { ok: true, done: done[outcome.intent as keyof typeof done] ?? "replyHandled" };
    }
  } catch (error) {
    if (error instanceof ReplyError) {
      if (error.code === "not_found") return { ok: false, notFound: true, field: error.field, error: "replies.error.not_found" };
      const specific = `replies.error.${error.field}.${error.code}`;
      const key = SPECIFIC.has(specific) ? specific : `replies.error.${error.code}`;
      return { ok: false, field: error.field === "inboundEmailId" ? "intent" : error.field, error: key };
    }
    if (error instanceof LearnSenderError) {
      if (error.code === "not_found") return { ok: false, notFound: true, field: "debtorId", error: "replies.error.not_found" };
      return { ok: false, field: "debtorId", error: `replies.error.${error.code}` };
    }
    throw error;
  }
  return { ok: false, field: "intent", error: "inbox.errors.unknown" };
}

const SPECIFIC = new Set(["replies.error.date.required", "replies.error.invoiceIds.required"]);
