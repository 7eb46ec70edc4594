import QRCode from "qrcode";
import { buildEpcQrPayload, EpcQrError, type EpcTransfer } from "~/domain/payments/epc-qr";

/**
 * The EPC payload of a transfer to the creditor, or null when the creditor's
 * details cannot make one (no IBAN, another currency, a name too long…):
 * the page and the statement then simply show no QR code.
 */
export function transferPayload(
  transfer: Omit<Partial<EpcTransfer>, "iban" | "name"> & { iban?: string | null; name?: string | null },
): string | null {
  if (!transfer.iban || !transfer.name) return null;
  const base = {
    ...transfer,
    name: transfer.name,
    iban: transfer.iban,
    amount: transfer.amount && transfer.amount > 0 ? transfer.amount : null,
  };
  try {
    return buildEpcQrPayload(base);
  } catch (error) {
    if (!(error instanceof EpcQrError)) throw error;
    // A reference that is not an RF creditor reference still travels, as the remittance text.
    if (error.field !== "reference") return null;
  }
  try {
    return buildEpcQrPayload({ ...base, reference: null, text: transfer.reference });
  } catch (error) {
    if (error instanceof EpcQrError) return null;
    throw error;
  }
}

/** The QR code as an SVG data URI (the CSP allows data: images; no script needed to show it). */
export async function transferQrDataUri(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
