import { buildEpcQrPayload, EpcQrError, type EpcTransfer } from "~/domain/payments/epc-qr";

/** The EPC QR payload of a transfer, or null when the details cannot make one (another currency, no valid RF reference…): the document then has none. */
export function epcPayload(transfer: EpcTransfer): string | null {
  try {
    return buildEpcQrPayload(transfer);
  } catch (error) {
    if (error instanceof EpcQrError) return null;
    throw error;
  }
}
