import { findDate, type DateLocale } from "./dates";
import { findInvoiceNumbers } from "./invoice-numbers";
import { words } from "./words";

/**
 * What a debtor's reply says, read with explainable rules (no model): each rule is a phrase pattern, and
 * the phrases that fired are returned as `trigger` so a person can see why. Rules run per sentence, and a
 * sentence that negates ("nous n'avons pas encore payé", "we haven't paid yet") fires no payment rule.
 * When several intents fire, the first of dispute > already_paid > promise > request wins; `requested` is
 * set whenever a request fired, whatever won (a debtor may promise and ask for the RIB in one line).
 */
export type ReplyIntent = "already_paid" | "promise" | "dispute" | "request" | "other";
export type RequestedDocument = "copy" | "iban" | "statement";

export interface ReplyUnderstanding {
  intent: ReplyIntent;
  trigger: string[];
  promisedFor?: Date;
  invoiceNumbers: string[];
  requested?: RequestedDocument;
}

export interface UnderstandOptions {
  now: Date;
  locale?: DateLocale;
  /** The debtor's invoice numbers as stored: those named in the reply are returned. */
  invoiceNumbers?: string[];
  /** Attachment file names: a remittance advice ("avis de virement.pdf") counts as a payment announced. */
  attachmentNames?: string[];
}

interface Rule {
  pattern: RegExp;
  requested?: RequestedDocument;
}

const NEGATION = words(
  /\b(?:ne\s+\S+\s+pas|n'\S+\s+pas|pas\s+encore|toujours\s+pas|not\s+yet|haven't|hasn't|have\s+not|has\s+not|didn't|did\s+not|won't|cannot|can't|unable)\b/,
);

const DISPUTE: Rule[] = [
  {
    pattern: words(
      /\b(?:la\s+|cette\s+|votre\s+)?facture\s+(?:\S+\s+){0,3}?(?:est|semble|me\s+semble|nous\s+semble)\s+(?:fausse|erronée|incorrecte|inexacte)/,
    ),
  },
  { pattern: words(/\berreur\s+(?:sur|dans)\s+(?:la|votre|cette)\s+facture\b/) },
  { pattern: words(/\b(?:le\s+)?montant\s+(?:\S+\s+){0,3}?(?:est\s+|semble\s+|me\s+semble\s+)?(?:faux|erroné|incorrect|inexact)\b/) },
  { pattern: words(/\bil\s+manqu(?:ait|e|aient)\b/) },
  { pattern: words(/\b(?:marchandises?|articles?|palettes?|colis|produits?)\s+(?:manquant(?:e?s)?|abîmée?s?|endommagée?s?|cassée?s?)\b/) },
  {
    pattern: words(
      /\b(?:jamais|pas)\s+(?:été\s+)?(?:reçu|livré)e?s?\s+(?:la\s+|les\s+|le\s+|notre\s+)?(?:marchandise|commande|livraison|colis|produits?|prestation)/,
    ),
  },
  { pattern: words(/\b(?:nous\s+)?contest(?:ons|e|é|ée)\b|\blitige\b|\bréclamation\b|\bun\s+avoir\b/) },
  {
    pattern: words(
      /\b(?:wrong|incorrect)\s+(?:amount|invoice|price|quantity)\b|\binvoice\s+(?:\S+\s+){0,3}?is\s+(?:wrong|incorrect)\b|\bamount\s+is\s+(?:wrong|incorrect)\b/,
    ),
  },
  {
    pattern: words(
      /\bmissing\s+(?:\S+\s+){0,2}?(?:items?|goods|pallets?|parts?|products?)\b|\b(?:items?|goods|pallets?)\s+(?:were|was|are)\s+(?:missing|damaged)\b/,
    ),
  },
  { pattern: words(/\bnever\s+(?:received|got)\s+(?:the\s+|our\s+)?(?:goods|order|delivery|items?|products?|service)\b/) },
  { pattern: words(/\b(?:we\s+)?dispute\b|\bcredit\s+note\b/) },
];

const ALREADY_PAID: Rule[] = [
  {
    pattern: words(
      /\b(?:le\s+|un\s+|notre\s+)?virement\s+(?:\S+\s+){0,3}?(?:est|a\s+été)\s+(?:parti|effectué|fait|envoyé|émis|passé|exécuté|réalisé)\b/,
    ),
  },
  {
    pattern: words(
      /\b(?:nous\s+avons|j'ai|on\s+a)\s+(?:bien\s+|déjà\s+)?(?:réglé|payé|viré|effectué\s+(?:le|un)\s+(?:virement|paiement|règlement)|procédé\s+au\s+(?:paiement|règlement|virement))\b/,
    ),
  },
  { pattern: words(/\b(?:paiement|règlement|virement)\s+(?:a\s+été\s+|déjà\s+|bien\s+)?(?:effectué|envoyé|parti|émis|réalisé|exécuté)\b/) },
  {
    pattern: words(
      /\b(?:facture|elle)\s+(?:\S+\s+){0,2}?(?:est|a\s+été)\s+(?:déjà\s+|bien\s+)?(?:réglée|payée|soldée)\b|\bdéjà\s+(?:réglée|payée|soldée)\b/,
    ),
  },
  { pattern: words(/\bavis\s+de\s+virement\b|\bpreuve\s+de\s+paiement\b|\bjustificatif\s+de\s+(?:paiement|virement)\b/) },
  { pattern: words(/\b(?:we|i)\s+(?:have\s+|'ve\s+)?(?:already\s+)?(?:paid|settled|sent\s+(?:the\s+)?payment|wired|transferred)\b/) },
  { pattern: words(/\bpayment\s+(?:was|has\s+been|is)\s+(?:already\s+)?(?:sent|made|done|processed|executed|transferred)\b/) },
  {
    pattern: words(
      /\b(?:invoice\s+)?(?:has\s+been|was|is)\s+(?:already\s+)?(?:paid|settled)\b|\bremittance\s+advice\b|\bproof\s+of\s+payment\b/,
    ),
  },
];

const PROMISE: Rule[] = [
  {
    pattern: words(
      /\b(?:nous|je|on)\s+(?:vous\s+)?(?:réglerons|règlerons|réglerai|règlerai|réglera|paierons|paierai|paiera|payerons|virerons|effectuerons|procéderons)\b/,
    ),
  },
  { pattern: words(/\b(?:nous\s+allons|je\s+vais|on\s+va)\s+(?:vous\s+)?(?:régler|payer|virer|effectuer|procéder)\b/) },
  { pattern: words(/\b(?:sera|seront)\s+(?:\S+\s+)?(?:réglée?s?|payée?s?|virée?s?|effectuée?s?|faite?s?|envoyée?s?|émise?s?)\b/) },
  {
    pattern: words(
      /\b(?:paiement|règlement|virement)\s+(?:est\s+|sera\s+)?(?:prévu|programmé|planifié)\b|\b(?:programmé|planifié)\s+(?:le|un)\s+(?:virement|paiement)\b/,
    ),
  },
  {
    pattern: words(
      /\b(?:we|i)\s*(?:will|'ll|shall|are\s+going\s+to|am\s+going\s+to)\s+(?:\S+\s+)?(?:pay|settle|transfer|wire|send\s+(?:the\s+)?payment)\b/,
    ),
  },
  { pattern: words(/\bpayment\s+(?:will\s+be|is)\s+(?:made|sent|scheduled|planned|due)\b|\bwill\s+be\s+(?:paid|settled)\b/) },
];

const REQUEST: Rule[] = [
  {
    pattern: words(
      /\b(?:rib|iban|coordonnées\s+bancaires|relevé\s+d'identité\s+bancaire|bank\s+details|bank\s+account\s+details|account\s+details)\b/,
    ),
    requested: "iban",
  },
  {
    pattern: words(
      /\b(?:relevé\s+de\s+compte|relevé\s+des\s+factures|un\s+relevé|le\s+relevé|situation\s+de\s+compte|état\s+des\s+factures|statement(?:\s+of\s+account)?)\b/,
    ),
    requested: "statement",
  },
  {
    pattern: words(/\b(?:copie|duplicata)\b(?:\s+de\s+(?:la|cette|votre)\s+facture\b)?|\bcopy\s+of\s+(?:the|this|your)\s+invoice\b/),
    requested: "copy",
  },
  {
    pattern: words(
      /\b(?:renvoyer|envoyer|transmettre|adresser|renvoyez|envoyez)\s+(?:-nous\s+|-moi\s+)?(?:à\s+nouveau\s+)?(?:la|cette|votre)\s+facture\b/,
    ),
    requested: "copy",
  },
  {
    pattern: words(
      /\b(?:jamais|pas)\s+(?:été\s+)?reçu\s+(?:la|cette|votre|de)\s+facture\b|\bnever\s+(?:received|got)\s+(?:the|this|your|an?)\s+invoice\b/,
    ),
    requested: "copy",
  },
  { pattern: words(/\b(?:re)?send\s+(?:me\s+|us\s+)?(?:again\s+)?(?:the|this|your)\s+invoice\b/), requested: "copy" },
];

const REMITTANCE_FILE =
  /avis[\s_-]*de[\s_-]*virement|preuve[\s_-]*(?:de[\s_-]*)?paiement|justificatif|remittance|payment[\s_-]*(?:advice|confirmation|proof)|proof[\s_-]*of[\s_-]*payment|swift|mt103/i;

export function understandReply(text: string, options: UnderstandOptions): ReplyUnderstanding {
  const normalized = normalize(text);
  // Mail clients wrap lines at ~76 characters: a single line break is a space, a blank line ends a sentence.
  const sentences = normalized
    .split(/\n\s*\n/)
    .flatMap((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").split(/(?<=[.!?;])\s+/))
    .filter((s) => s.trim() !== "");
  const invoiceNumbers = findInvoiceNumbers(text, options.invoiceNumbers ?? []);

  const fired = (rules: Rule[], { negatable }: { negatable: boolean }) => {
    const hits: Array<{ phrase: string; sentence: string; requested?: RequestedDocument }> = [];
    for (const sentence of sentences) {
      if (negatable && NEGATION.test(sentence)) continue;
      for (const rule of rules) {
        const m = rule.pattern.exec(sentence);
        if (m) hits.push({ phrase: m[0].trim(), sentence, requested: rule.requested });
      }
    }
    return hits;
  };

  const dispute = fired(DISPUTE, { negatable: false });
  const paid = fired(ALREADY_PAID, { negatable: true });
  for (const name of options.attachmentNames ?? []) {
    if (REMITTANCE_FILE.test(name)) paid.push({ phrase: `attachment: ${name}`, sentence: "" });
  }
  const promise = fired(PROMISE, { negatable: true });
  const request = fired(REQUEST, { negatable: false });
  const requested = request[0]?.requested;
  const phrases = (hits: Array<{ phrase: string }>) => [...new Set(hits.map((h) => h.phrase))];
  const base = { invoiceNumbers, ...(requested ? { requested } : {}) };

  if (dispute.length > 0) return { intent: "dispute", trigger: phrases(dispute), ...base };
  if (paid.length > 0) return { intent: "already_paid", trigger: phrases(paid), ...base };
  if (promise.length > 0) {
    // The date is read from the promising sentences first, then from the whole reply.
    const promised =
      promise.map((hit) => findDate(hit.sentence, options.now, options.locale)).find((d) => d !== null) ??
      findDate(normalized, options.now, options.locale);
    return {
      intent: "promise",
      trigger: [...phrases(promise), ...(promised ? [promised.text] : [])],
      ...(promised ? { promisedFor: promised.date } : {}),
      ...base,
    };
  }
  if (request.length > 0) return { intent: "request", trigger: phrases(request), ...base };
  return { intent: "other", trigger: [], ...base };
}

/** Lower case, one kind of apostrophe and space, composed accents: what the rules are written against. */
function normalize(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\u2019\u2018\u02bc]/g, "'")
    .replace(/[\u00a0\u202f\t ]+/g, " ");
}
