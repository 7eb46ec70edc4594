import { composeReplyMime } from "./compose-mime";
import { parseInboundEmail } from "./parse";
import { understandReply } from "./intent";
import { emailThreads, replySubject, type ThreadMessage } from "./threads";
import { visibleReply } from "./visible-reply";

const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9));
const msg = (m: Partial<ThreadMessage> & { id: string }): ThreadMessage => ({
  direction: "OUT",
  messageId: null,
  inReplyTo: null,
  occurredAt: at(1),
  subject: null,
  ...m,
});

describe("emailThreads", () => {
  it("groups a reminder, the debtor's answer and our reply by In-Reply-To / References; an unanswered reminder is no thread", () => {
    const threads = emailThreads([
      msg({ id: "r1", messageId: "<a@relance>", subject: "Relance F-1", occurredAt: at(1) }),
      msg({ id: "in1", direction: "IN", messageId: "<b@client>", inReplyTo: "<a@relance>", occurredAt: at(2), subject: "Re: Relance F-1" }),
      msg({ id: "out2", messageId: "<c@relance>", inReplyTo: "<B@client>", references: ["<a@relance>"], occurredAt: at(3) }),
      msg({ id: "lonely", messageId: "<z@relance>", subject: "Relance F-2", occurredAt: at(4) }),
      msg({ id: "in-other", direction: "IN", messageId: "<y@client>", occurredAt: at(5), subject: "Question" }),
    ]);
    expect(threads.map((t) => t.messages.map((m) => m.id))).toEqual([["in-other"], ["r1", "in1", "out2"]]);
    expect(threads[1]).toMatchObject({
      id: "r1",
      subject: "Relance F-1",
      messageIds: ["<a@relance>", "<b@client>", "<c@relance>"],
      replyTo: { id: "out2" },
    });
  });

  it("says Re: once", () => {
    expect(replySubject("RE: Re: Relance")).toBe("Re: Relance");
    expect(replySubject(null)).toBe("Re:");
  });
});

describe("composeReplyMime", () => {
  it("writes a reply the real parser reads back: threading headers, accents, the new words above the quoted original", async () => {
    const raw = composeReplyMime({
      from: { address: "compta@client.test", name: "Hélène Côté" },
      to: "reply+abc@inbound.relance.test",
      subject: "Re: Relance — facture F-2026-0042",
      text: "Nous réglerons la facture le 15 janvier.",
      date: at(2),
      messageId: "dev-1@mailbox.relance.test",
      inReplyTo: "<sent-1@relance.test>",
      quoted: { from: "Atelier Durand", date: at(1), text: "Bonjour,\nVotre facture est échue." },
    });
    const parsed = await parseInboundEmail(raw);
    expect(parsed).toMatchObject({
      messageId: "<dev-1@mailbox.relance.test>",
      inReplyTo: "<sent-1@relance.test>",
      references: ["<sent-1@relance.test>"],
      from: { address: "compta@client.test", name: "Hélène Côté" },
      subject: "Re: Relance — facture F-2026-0042",
    });
    expect(parsed.text).toContain("> Votre facture est échue.");
    const visible = visibleReply(parsed);
    expect(visible).toBe("Nous réglerons la facture le 15 janvier.");
    const understood = understandReply(visible, { now: at(2), locale: "fr" });
    expect(understood.intent).toBe("promise");
    expect(understood.promisedFor?.toISOString().slice(0, 10)).toBe("2027-01-15");
  });

  it("a fresh message (unknown address) has no threading headers", async () => {
    const raw = composeReplyMime({
      from: { address: "x@inconnu.test" },
      to: "compta@creancier.test",
      subject: "Facture",
      text: "Bonjour",
      date: at(2),
      messageId: "dev-2@x",
    });
    expect(raw).not.toMatch(/In-Reply-To|References/);
    expect((await parseInboundEmail(raw)).inReplyTo).toBeNull();
  });
});
