import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { parseInboundEmail } from "~/domain/inbound/parse";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor } from "../../testing/factories";
import { replyAsDebtor } from "./dev-reply.server";
import { readInboundRaw } from "./receive.server";
import { emailConversations, inboundOriginal } from "./threads.server";

const database = useTestDatabase();
const NOW = new Date("2026-12-02T10:00:00Z");

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-threads-"));
});

async function withReminder() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db, { contactEmail: "compta@creancier.test" });
  const debtor = await makeDebtor(db, creditor.id);
  const sent = await db.communication.create({
    data: {
      creditorId: creditor.id,
      debtorId: debtor.id,
      direction: "OUT",
      channel: "EMAIL",
      kind: "dunning.email",
      subject: "Relance : facture échue",
      bodyText: "Bonjour,\nVotre facture est échue.",
      recipient: debtor.email,
      providerMessageId: `mock-${debtor.id}`,
      messageId: `<${debtor.id}@relance.test>`,
      actorType: "SYSTEM",
      occurredAt: new Date("2026-12-01T08:00:00Z"),
    },
  });
  const email = {
    id: sent.providerMessageId!,
    to: [debtor.email!],
    subject: sent.subject!,
    text: sent.bodyText!,
    createdAt: sent.occurredAt.toISOString(),
  };
  return { db, creditor, debtor, sent, email };
}

describe("reply as the debtor (dev mailbox)", () => {
  it("feeds the pipeline a real MIME reply to that email: In-Reply-To its Message-ID, To its Reply-To, the original quoted", async () => {
    const { db, creditor, debtor, sent, email } = await withReminder();
    const { id } = await replyAsDebtor(db, { email, text: "Nous réglerons la facture le 15 janvier", clock: fixedClock(NOW) });
    const row = await db.inboundEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      source: "DEV",
      creditorId: creditor.id,
      inReplyTo: sent.messageId,
      fromAddress: debtor.email,
      status: "RECEIVED",
    });
    const parsed = await parseInboundEmail(await readInboundRaw(row));
    expect(parsed.to.map((a) => a.address)).toEqual(["compta@creancier.test"]);
    expect(parsed.subject).toBe("Re: Relance : facture échue");
    expect(parsed.text).toMatch(/^Nous réglerons la facture le 15 janvier\n\nLe .* a écrit :\n> Bonjour,\n> Votre facture est échue\./);
  });

  it("from an unknown address: a fresh message to the creditor, with no threading headers to route it by", async () => {
    const { db, email } = await withReminder();
    const { id } = await replyAsDebtor(db, { email, text: "Bonjour", fromUnknown: "Gerance@Holding.test", clock: fixedClock(NOW) });
    const row = await db.inboundEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ fromAddress: "gerance@holding.test", inReplyTo: null });
    const parsed = await parseInboundEmail(await readInboundRaw(row));
    expect(parsed.references).toEqual([]);
    expect(parsed.text).not.toContain("a écrit");
  });
});

describe("the debtor's email conversations", () => {
  it("thread our email and the debtor's answer (its visible words, its attachments, its original for this creditor only)", async () => {
    const { db, creditor, debtor, sent, email } = await withReminder();
    const { id } = await replyAsDebtor(db, { email, text: "Le virement est parti hier.", clock: fixedClock(NOW) });
    const received = await db.communication.create({
      data: {
        creditorId: creditor.id,
        debtorId: debtor.id,
        direction: "IN",
        channel: "EMAIL",
        kind: "email.received",
        subject: "Re: Relance : facture échue",
        bodyText: "Le virement est parti hier.",
        messageId: "<answer@client.test>",
        inReplyTo: sent.messageId,
        actorType: "DEBTOR",
        occurredAt: NOW,
        attachments: {
          create: {
            creditorId: creditor.id,
            kind: "EMAIL_ATTACHMENT",
            fileName: "avis-de-virement.pdf",
            contentType: "application/pdf",
            size: 3,
            storagePath: "x",
            sha256: "0",
          },
        },
      },
    });
    await db.inboundEmail.update({
      where: { id },
      data: { debtorId: debtor.id, communicationId: received.id, visibleText: "Le virement est parti hier.", fromName: "Compta" },
    });
    const threads = await emailConversations(db, creditor.id, debtor.id);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ id: sent.id, subject: "Relance : facture échue", answerId: received.id });
    expect(threads[0]!.messages.map((m) => [m.direction, m.inboundEmailId, m.files.map((f) => f.fileName)])).toEqual([
      ["OUT", null, []],
      ["IN", id, ["avis-de-virement.pdf"]],
    ]);
    expect(threads[0]!.messages[1]!.from).toBe(`Compta <${debtor.email}>`);

    expect((await inboundOriginal(db, creditor.id, id))?.toString("utf8")).toContain(`In-Reply-To: ${sent.messageId}`);
    const other = await makeCreditor(db);
    expect(await inboundOriginal(db, other.creditor.id, id)).toBeNull();
    expect(await emailConversations(db, other.creditor.id, debtor.id)).toEqual([]);
  });
});
