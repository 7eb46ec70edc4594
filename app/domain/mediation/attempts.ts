/**
 * The amicable steps taken before a referral, read from the written trace:
 * what the mediator asks first ("what have you tried?"). Only real contacts
 * count — emails, texts, calls and letters sent, the debtor's replies and
 * portal actions — not the system's own bookkeeping.
 */
export type AttemptKind = "emails" | "sms" | "calls" | "letters" | "replies" | "portal";
export type Attempt = { kind: AttemptKind; count: number; last: Date };
export type TraceEntry = { occurredAt: Date; channel: string; direction: "IN" | "OUT"; kind: string };

const ORDER: readonly AttemptKind[] = ["emails", "sms", "calls", "letters", "replies", "portal"];

function kindOf(e: TraceEntry): AttemptKind | null {
  if (e.channel === "EMAIL") return e.direction === "OUT" ? "emails" : "replies";
  if (e.channel === "SMS" && e.direction === "OUT") return "sms";
  if (e.channel === "CALL") return "calls";
  if (e.channel === "LETTER") return "letters";
  if (e.channel === "PORTAL" && e.direction === "IN") return "portal";
  return null;
}

export function countAttempts(trace: readonly TraceEntry[]): Attempt[] {
  const found = new Map<AttemptKind, Attempt>();
  for (const e of trace) {
    const kind = kindOf(e);
    if (!kind) continue;
    const seen = found.get(kind);
    if (!seen) found.set(kind, { kind, count: 1, last: e.occurredAt });
    else found.set(kind, { kind, count: seen.count + 1, last: e.occurredAt > seen.last ? e.occurredAt : seen.last });
  }
  return ORDER.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
}
