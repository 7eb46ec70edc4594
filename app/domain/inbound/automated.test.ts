import { classifyAutomated } from "./automated";
import type { InboundMessage } from "./types";

const now = new Date("2026-12-02T09:00:00Z");
const message = (over: Partial<InboundMessage>): InboundMessage => ({
  messageId: null,
  inReplyTo: null,
  references: [],
  from: { address: "paul@client.fr", name: "Paul" },
  to: [],
  replyTo: null,
  subject: "Re: Rappel",
  date: now,
  text: "Merci, c'est noté.",
  html: null,
  attachments: [],
  headers: {},
  ...over,
});

describe("classifyAutomated", () => {
  test("a person, even with Auto-Submitted: no", () => {
    expect(classifyAutomated(message({ headers: { "auto-submitted": "no" } }), now)).toEqual({ kind: "human", signals: [] });
  });

  test.each([
    [{ "x-autoreply": "yes" }, "X-Autoreply: yes"],
    [{ "x-autorespond": "vacation" }, "X-Autorespond: vacation"],
    [{ precedence: "bulk" }, "Precedence: bulk"],
    [{ precedence: "auto_reply" }, "Precedence: auto_reply"],
    [{ "auto-submitted": "auto-replied" }, "Auto-Submitted: auto-replied"],
  ])("auto reply from headers %o", (headers, signal) => {
    expect(classifyAutomated(message({ headers }), now)).toMatchObject({ kind: "auto_reply", signals: [signal] });
  });

  test.each(["Absence du bureau", "Réponse automatique : Rappel", "Out of Office: Reminder", "Automatic reply: Reminder"])(
    "auto reply from the subject %s",
    (subject) => {
      expect(classifyAutomated(message({ subject }), now).kind).toBe("auto_reply");
    },
  );

  test("an English out-of-office gives its return date", () => {
    const ooo = message({
      subject: "Out of Office",
      text: "I am out of the office and will be back on January 5th.\n\nBest regards,\nJohn",
    });
    expect(classifyAutomated(ooo, now).returnDate).toEqual(new Date("2027-01-05T00:00:00Z"));
  });

  test("a bounce without a report part, told by the daemon and X-Failed-Recipients", () => {
    const bounce = message({
      from: { address: "mailer-daemon@googlemail.com", name: "Mail Delivery Subsystem" },
      subject: "Delivery Status Notification (Failure)",
      headers: { "x-failed-recipients": "gone@client.fr" },
      text: "Address not found",
    });
    expect(classifyAutomated(bounce, now)).toMatchObject({ kind: "bounce", failedRecipient: "gone@client.fr" });
  });

  test("a delayed-delivery report is not a bounce", () => {
    const delayed = message({
      from: { address: "mailer-daemon@mx.relance.app", name: "" },
      headers: { "content-type": "multipart/report; report-type=delivery-status; boundary=x" },
      text: "Final-Recipient: rfc822; slow@client.fr\nAction: delayed\nStatus: 4.4.1\n",
    });
    expect(classifyAutomated(delayed, now)).toMatchObject({ kind: "auto_reply" });
  });
});
