import { readFileSync } from "node:fs";
import { classifyAutomated } from "./automated";
import { understandReply } from "./intent";
import { parseInboundEmail } from "./parse";
import { InboundParseError } from "./types";
import { visibleReply } from "./visible-reply";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const now = new Date("2026-12-02T09:00:00Z"); // a Wednesday
const invoiceNumbers = ["FA-2026-0042", "FA-2026-0051", "FA-2026-0060", "INV-118"];
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function read(name: string) {
  const message = await parseInboundEmail(fixture(name));
  const visible = visibleReply(message);
  const automated = classifyAutomated(message, now);
  const understanding = understandReply(visible, {
    now,
    locale: "fr",
    invoiceNumbers,
    attachmentNames: message.attachments.map((a) => a.filename ?? ""),
  });
  return { message, visible, automated, understanding };
}

describe("debtors' replies, as mail clients send them", () => {
  test("Outlook FR, HTML only, iso-8859-1 quoted-printable, De : … Envoyé : … history → dispute", async () => {
    const { message, visible, automated, understanding } = await read("outlook-fr-html.eml");
    expect(message.from).toEqual({ address: "m.lefevre@transports-durand.fr", name: "Marie Lefèvre" });
    expect(message.subject).toBe("RE: Rappel : facture FA-2026-0042 à régler");
    expect(message.inReplyTo).toBe("<rem-2026-0042-1@relance.app>");
    expect(message.references).toEqual(["<rem-2026-0042-1@relance.app>"]);
    expect(message.messageId).toBe("<PR1P264MB3921A1B2C3D4E5F6@PR1P264MB3921.FRAP264.PROD.OUTLOOK.COM>");
    expect(message.to).toEqual([{ address: "reply+abc@in.relance.app", name: "Relance - Atelier Bois" }]);
    expect(message.html).toContain("WordSection1");
    expect(visible).toBe(
      "Bonjour,\n\nLa facture FA-2026-0042 est fausse : il manquait deux palettes à la livraison du\n20 novembre. Merci de nous faire parvenir un avoir.",
    );
    expect(automated).toEqual({ kind: "human", signals: [] });
    expect(understanding.intent).toBe("dispute");
    expect(understanding.trigger).toEqual(["la facture fa-2026-0042 est fausse", "il manquait", "un avoir"]);
    expect(understanding.invoiceNumbers).toEqual(["FA-2026-0042"]);
  });

  test("Gmail EN, multipart/alternative, wrapped On … wrote: → promise for next Friday", async () => {
    const { message, visible, automated, understanding } = await read("gmail-en.eml");
    expect(message.from?.address).toBe("john.carter@northwind-supplies.co.uk");
    expect(message.to.map((a) => a.address)).toEqual(["reply+abc@in.relance.app"]);
    expect(message.date?.toISOString()).toBe("2026-12-02T09:41:07.000Z");
    expect(message.html).toContain("gmail_quote");
    expect(visible).toBe("Hi,\n\nSorry for the delay, we will pay invoice INV 118 next Friday.\n\nThanks,\nJohn");
    expect(automated.kind).toBe("human");
    expect(understanding).toMatchObject({ intent: "promise", invoiceNumbers: ["INV-118"], trigger: ["we will pay", "next friday"] });
    // chrono-node reads "next Friday" on a Wednesday as the Friday of next week.
    expect(understanding.promisedFor).toEqual(day("2026-12-11"));
  });

  test("Apple Mail FR, Le … a écrit : then > quoting → already paid", async () => {
    const { message, visible, automated, understanding } = await read("apple-mail-fr.eml");
    expect(message.from).toEqual({ address: "paul.girard@boulangerie-girard.fr", name: "Paul Girard" });
    expect(message.date?.toISOString()).toBe("2026-12-02T06:55:12.000Z");
    expect(visible).toBe("Bonjour,\n\nLe virement est parti hier, vous devriez le recevoir d’ici demain.");
    expect(automated.kind).toBe("human");
    expect(understanding).toMatchObject({ intent: "already_paid", trigger: ["le virement est parti"], invoiceNumbers: [] });
  });

  test("Thunderbird, quoted-printable UTF-8 accents and encoded subject → promise for the end of the month", async () => {
    const { message, visible, understanding } = await read("qp-accents.eml");
    expect(message.subject).toBe("Re: Rappel : facture FA-2026-0042 échue");
    expect(message.from?.name).toBe("Hélène Roux");
    expect(visible).toBe(
      "Bonjour,\n\nNous réglerons la facture FA 2026 0042 à la fin du mois, dès réception du paiement de notre client.\n\nHélène Roux",
    );
    expect(understanding).toMatchObject({
      intent: "promise",
      trigger: ["nous réglerons", "à la fin du mois"],
      invoiceNumbers: ["FA-2026-0042"],
    });
    expect(understanding.promisedFor).toEqual(day("2026-12-31"));
  });

  test("a forwarded message: the forwarder's words only → promise in eight days, and the RIB asked", async () => {
    const { visible, understanding } = await read("forwarded.eml");
    expect(visible).toBe(
      "Bonjour,\n\nJe transmets à notre comptable. Pourriez-vous nous renvoyer votre RIB ? Nous réglerons sous huit jours.\n\nSophie",
    );
    // "Nous avons déjà réglé les précédentes" is in the forwarded history, so it does not count as paid.
    expect(understanding).toMatchObject({ intent: "promise", requested: "iban", trigger: ["nous réglerons", "sous huit jours"] });
    expect(understanding.promisedFor).toEqual(day("2026-12-10"));
  });

  test("Exchange out-of-office FR → auto reply, back on 5 January", async () => {
    const { message, automated } = await read("ooo-fr.eml");
    expect(message.from?.name).toBe("Jérôme Blanc");
    expect(message.headers["auto-submitted"]).toBe("auto-generated");
    expect(automated.kind).toBe("auto_reply");
    expect(automated.signals).toEqual([
      "Auto-Submitted: auto-generated",
      "X-Auto-Response-Suppress: All",
      "Subject: Réponse automatique\u00a0: Rappel : facture FA-2026-0042",
    ]);
    expect(automated.returnDate).toEqual(day("2027-01-05"));
  });

  test("Postfix DSN (multipart/report) → bounce with the failed recipient", async () => {
    const { message, automated } = await read("dsn-bounce.eml");
    expect(message.from?.address).toBe("mailer-daemon@mx1.relance.app");
    expect(message.headers["content-type"]).toContain("report-type=delivery-status");
    expect(automated).toMatchObject({ kind: "bounce", failedRecipient: "compta@client-disparu.fr", status: "5.1.1" });
    expect(automated.signals).toContain("Content-Type: multipart/report; report-type=delivery-status");
  });

  test("malformed MIME: no From and no body → InboundParseError", async () => {
    await expect(parseInboundEmail(fixture("malformed.eml"))).rejects.toBeInstanceOf(InboundParseError);
    await expect(parseInboundEmail(fixture("malformed.eml"))).rejects.toMatchObject({ reason: "empty" });
    await expect(parseInboundEmail("")).rejects.toBeInstanceOf(InboundParseError);
  });

  test("a remittance advice as a large base64 PDF attachment → already paid, bytes intact", async () => {
    const pdf = new Uint8Array(400 * 1024);
    for (let i = 0; i < pdf.length; i++) pdf[i] = (i * 7919) % 251;
    pdf.set(new TextEncoder().encode("%PDF-1.7\n"), 0);
    const base64 = Buffer.from(pdf).toString("base64").replace(/.{76}/g, "$&\r\n");
    const raw = [
      "From: Compta Durand <compta@transports-durand.fr>",
      "To: reply+abc@in.relance.app",
      "Subject: =?UTF-8?Q?Re=3A_Facture_FA-2026-0042?=",
      "Date: Wed, 2 Dec 2026 10:30:00 +0100",
      "Message-ID: <att-1@transports-durand.fr>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Bonjour, veuillez trouver ci-joint le justificatif pour la facture FA-2026-0042.",
      "--b1",
      'Content-Type: application/pdf; name="Avis de virement FA-2026-0042.pdf"',
      'Content-Disposition: attachment; filename="Avis de virement FA-2026-0042.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      base64,
      "--b1--",
      "",
    ].join("\r\n");
    const message = await parseInboundEmail(new TextEncoder().encode(raw));
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment).toMatchObject({
      filename: "Avis de virement FA-2026-0042.pdf",
      contentType: "application/pdf",
      size: pdf.length,
      contentId: null,
    });
    expect(Buffer.from(attachment!.content).equals(Buffer.from(pdf))).toBe(true);
    const understanding = understandReply(visibleReply(message), {
      now,
      invoiceNumbers,
      attachmentNames: ["Avis de virement FA-2026-0042.pdf"],
    });
    expect(understanding).toMatchObject({
      intent: "already_paid",
      trigger: ["attachment: Avis de virement FA-2026-0042.pdf"],
      invoiceNumbers: ["FA-2026-0042"],
    });
  });
});
