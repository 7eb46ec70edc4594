import { isValidCreditorReference } from "./reference";

/**
 * The payload of an EPC QR code ("GiroCode", EPC069-12 v3.0): a SEPA credit
 * transfer a banking app fills in from one scan. Twelve fields, one a line,
 * in this order: service tag BCD, version 002 (BIC optional inside the EEA),
 * character set 1 (UTF-8), identification SCT, BIC, beneficiary name (≤ 70),
 * IBAN, amount "EUR" + value with two decimals, purpose code, structured
 * reference (ISO 11649 RF) OR unstructured text (≤ 140), information to the
 * payer. Lines after the last filled one are left out (the last line has no
 * line break) and the whole payload is at most 331 bytes.
 */
export type EpcTransfer = {
  name: string;
  iban: string;
  bic?: string | null;
  /** Minor units (cents); the EPC code only carries euros. */
  amount?: number | null;
  currency?: string;
  /** ISO 11649 creditor reference (RFxx…); excludes `text`. */
  reference?: string | null;
  /** Free remittance text, only without a structured reference. */
  text?: string | null;
};

export const EPC_MAX_BYTES = 331;

export class EpcQrError extends Error {
  constructor(
    public readonly field: "name" | "iban" | "bic" | "amount" | "currency" | "reference" | "text" | "payload",
    message: string,
  ) {
    super(message);
    this.name = "EpcQrError";
  }
}

const compact = (value: string) => value.replace(/\s+/g, "").toUpperCase();
/** Line breaks would shift every following field: folded into spaces, then trimmed. */
const oneLine = (value: string) =>
  value
    .replace(/[\r\n]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();

export function buildEpcQrPayload(transfer: EpcTransfer): string {
  const name = oneLine(transfer.name);
  if (!name) throw new EpcQrError("name", "The beneficiary name is required");
  if ([...name].length > 70) throw new EpcQrError("name", "The beneficiary name is limited to 70 characters");

  const iban = compact(transfer.iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) throw new EpcQrError("iban", "The IBAN is not an IBAN");

  const bic = transfer.bic ? compact(transfer.bic) : "";
  if (bic && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) throw new EpcQrError("bic", "The BIC must have 8 or 11 characters");

  let amount = "";
  if (transfer.amount !== undefined && transfer.amount !== null) {
    if ((transfer.currency ?? "EUR").toUpperCase() !== "EUR") throw new EpcQrError("currency", "An EPC QR code only carries euros");
    if (!Number.isInteger(transfer.amount) || transfer.amount < 1 || transfer.amount > 99_999_999_999) {
      throw new EpcQrError("amount", "The amount must be between EUR0.01 and EUR999999999.99");
    }
    amount = `EUR${Math.floor(transfer.amount / 100)}.${String(transfer.amount % 100).padStart(2, "0")}`;
  }

  const reference = transfer.reference ? compact(transfer.reference) : "";
  const text = transfer.text ? oneLine(transfer.text) : "";
  if (reference && text) throw new EpcQrError("text", "A structured reference and a remittance text exclude each other");
  if (reference && !isValidCreditorReference(reference))
    throw new EpcQrError("reference", "The structured reference must be a valid RF creditor reference");
  if ([...text].length > 140) throw new EpcQrError("text", "The remittance text is limited to 140 characters");

  const lines = ["BCD", "002", "1", "SCT", bic, name, iban, amount, "", reference, text];
  while (lines[lines.length - 1] === "") lines.pop();
  const payload = lines.join("\n");
  if (new TextEncoder().encode(payload).length > EPC_MAX_BYTES)
    throw new EpcQrError("payload", `The payload exceeds ${EPC_MAX_BYTES} bytes`);
  return payload;
}
