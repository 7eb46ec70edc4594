import { findDate } from "./dates";
import { findInvoiceNumbers } from "./invoice-numbers";
import { understandReply } from "./intent";

const now = new Date("2026-12-02T09:00:00Z"); // Wednesday 2 December 2026
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const read = (text: string, invoiceNumbers: string[] = []) => understandReply(text, { now, invoiceNumbers });

describe("understandReply", () => {
  test.each([
    ["le virement est parti hier", "le virement est parti"],
    ["Nous avons réglé cette facture le 28/11.", "nous avons réglé"],
    ["Paiement effectué ce matin.", "paiement effectué"],
    ["La facture a été payée le 30 novembre.", "facture a été payée"],
    ["We paid it last week.", "we paid"],
    ["The payment was sent on Monday.", "payment was sent"],
  ])("already paid: %s", (text, trigger) => {
    expect(read(text)).toMatchObject({ intent: "already_paid", trigger: [trigger] });
  });

  test("a negated payment is not a payment", () => {
    expect(read("Nous n'avons pas encore réglé, désolés.").intent).toBe("other");
    expect(read("We haven't paid yet.").intent).toBe("other");
    expect(read("Le paiement n’a pas été effectué.").intent).toBe("other");
  });

  test.each([
    ["Nous réglerons le 15.", "2026-12-15"],
    ["Nous réglerons le 1er.", "2027-01-01"],
    ["Je vais payer fin du mois.", "2026-12-31"],
    ["Le paiement sera fait sous huit jours.", "2026-12-10"],
    ["Nous paierons sous quinzaine.", "2026-12-17"],
    ["Virement programmé pour le 15 janvier.", "2027-01-15"],
    ["Nous réglerons fin janvier.", "2027-01-31"],
    ["We will pay on the 20th.", "2026-12-20"],
    ["We'll pay within 10 days.", "2026-12-12"],
    ["We will settle the invoice by 15/01/2027.", "2027-01-15"],
    ["I will pay next Friday.", "2026-12-11"],
  ])("promise: %s → %s", (text, iso) => {
    const understanding = read(text);
    expect(understanding.intent).toBe("promise");
    expect(understanding.promisedFor).toEqual(day(iso));
  });

  test("a promise without a date has no promisedFor", () => {
    expect(read("Nous allons régler rapidement.")).toEqual({ intent: "promise", trigger: ["nous allons régler"], invoiceNumbers: [] });
  });

  test("a bare day already past this month is next month's", () => {
    expect(findDate("le 1", now)?.date).toEqual(day("2027-01-01"));
    expect(findDate("le 2", now)?.date).toEqual(day("2026-12-02"));
    expect(findDate("le 31", new Date("2027-02-03T00:00:00Z"))?.date).toEqual(day("2027-03-31"));
  });

  test.each([
    ["La facture est fausse.", "la facture est fausse"],
    ["Il manquait deux palettes.", "il manquait"],
    ["Le montant est erroné.", "le montant est erroné"],
    ["We never received the goods.", "never received the goods"],
    ["Wrong amount on this invoice.", "wrong amount"],
    ["Two pallets were missing.", "pallets were missing"],
  ])("dispute: %s", (text, trigger) => {
    expect(read(text)).toMatchObject({ intent: "dispute", trigger: [trigger] });
  });

  test("a dispute wins over a payment announced in the same reply, and names the invoices", () => {
    const understanding = read("Nous avons réglé la FA-2026-0041 mais la facture FACT 2026 0042 est erronée.", [
      "FA-2026-0041",
      "FA-2026-0042",
    ]);
    expect(understanding).toMatchObject({ intent: "dispute", invoiceNumbers: ["FA-2026-0041", "FA-2026-0042"] });
  });

  test.each([
    ["Pouvez-vous m'envoyer votre RIB ?", "iban"],
    ["Could you send your bank details?", "iban"],
    ["Merci de m'adresser un relevé de compte.", "statement"],
    ["Please send a statement of account.", "statement"],
    ["Pouvez-vous nous renvoyer la facture ?", "copy"],
    ["Nous n'avons jamais reçu la facture.", "copy"],
    ["We never received the invoice.", "copy"],
    ["Could you send me a copy of the invoice?", "copy"],
  ])("request: %s → %s", (text, requested) => {
    expect(read(text)).toMatchObject({ intent: "request", requested });
  });

  test("a reply about nothing in particular is other", () => {
    expect(read("Merci pour votre message, bonne journée.")).toEqual({ intent: "other", trigger: [], invoiceNumbers: [] });
  });
});

describe("findInvoiceNumbers", () => {
  const known = ["FA-2026-0042", "INV-118", "F2026117"];
  test.each([
    ["la facture FA-2026-0042", ["FA-2026-0042"]],
    ["facture n° 2026 0042", ["FA-2026-0042"]],
    ["FACT.2026/0042 et INV 118", ["FA-2026-0042", "INV-118"]],
    ["invoice #118", ["INV-118"]],
    ["fa20260042", ["FA-2026-0042"]],
    ["F 2026117", ["F2026117"]],
    ["118 euros et 2026-00421", []],
  ])("%s", (text, expected) => {
    expect(findInvoiceNumbers(text, known)).toEqual(expected);
  });
});
