/**
 * Email conversations as threads: the trace's EMAIL entries (ours and the debtor's) grouped by
 * Message-ID / In-Reply-To / References, the way a mail client does it. Pure: plain rows in, groups out.
 */
export interface ThreadMessage {
  id: string;
  direction: "IN" | "OUT";
  messageId: string | null;
  inReplyTo: string | null;
  /** Further Message-IDs this message names (its References header), when known. */
  references?: string[];
  occurredAt: Date | string;
  subject: string | null;
}

export interface EmailThread<M extends ThreadMessage> {
  /** The first message's id: stable, used to name the thread's reply form. */
  id: string;
  subject: string | null;
  messages: M[];
  /** Every Message-ID of the thread in order: a reply's References. */
  messageIds: string[];
  /** The last message that has a Message-ID: what a reply answers (In-Reply-To). */
  replyTo: M | null;
  lastAt: Date;
}

/**
 * Groups messages into threads (union-find over the ids they share) and keeps only conversations: a
 * thread with at least one message from the debtor, or an answer of ours. A reminder nobody answered
 * stays a plain timeline entry. Threads come most recent first, their messages oldest first.
 */
export function emailThreads<M extends ThreadMessage>(messages: M[]): EmailThread<M>[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const byMessageId = new Map<string, string>();
  for (const m of messages) {
    parent.set(m.id, m.id);
    if (m.messageId) byMessageId.set(normalizeId(m.messageId), m.id);
  }
  for (const m of messages) {
    for (const ref of [m.inReplyTo, ...(m.references ?? [])]) {
      const other = ref ? byMessageId.get(normalizeId(ref)) : undefined;
      if (other) union(m.id, other);
    }
  }
  const groups = new Map<string, M[]>();
  for (const m of messages) groups.set(find(m.id), [...(groups.get(find(m.id)) ?? []), m]);

  const threads: EmailThread<M>[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => time(a.occurredAt) - time(b.occurredAt) || a.id.localeCompare(b.id));
    const conversation = sorted.some((m) => m.direction === "IN") || sorted.some((m) => m.direction === "OUT" && m.inReplyTo);
    if (!conversation) continue;
    const withId = sorted.filter((m) => m.messageId);
    threads.push({
      id: sorted[0]!.id,
      subject: sorted.find((m) => m.subject)?.subject ?? null,
      messages: sorted,
      messageIds: withId.map((m) => m.messageId!),
      replyTo: withId.at(-1) ?? null,
      lastAt: new Date(time(sorted.at(-1)!.occurredAt)),
    });
  }
  return threads.sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
}

/** "Re: " once, whatever the replies before said ("RE:", "Réf :", "AW:" are left as written). */
export function replySubject(subject: string | null): string {
  const bare = (subject ?? "").replace(/^(\s*re\s*:\s*)+/i, "").trim();
  return `Re: ${bare}`.trim();
}

const time = (d: Date | string) => new Date(d).getTime();
const normalizeId = (id: string) => id.trim().replace(/^<|>$/g, "").toLowerCase();
