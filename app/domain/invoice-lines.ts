/**
 * HT / TVA / TTC of an invoice from its lines. VAT is computed per rate on the
 * sum of that rate's net amounts (EN 16931 BR-CO-17), rounded half up to the
 * minor unit; rates stay decimal strings ("20", "5.5") and the arithmetic is
 * done on integers, never floats.
 */
export type InvoiceLineAmounts = { net: number; vatRate: string | null };

export type VatGroup = { rate: string | null; base: number; vat: number };
export type InvoiceTotals = { net: number; vat: number; gross: number; groups: VatGroup[] };

const RATE = /^(\d{1,3})(?:[.,](\d{1,4}))?$/;

/** The rate in ten-thousandths of a percent ("5.5" → 55 000), or null when it is not a rate. */
function rateUnits(rate: string): bigint | null {
  const match = RATE.exec(rate.trim());
  if (!match) return null;
  return BigInt(match[1]!) * 10_000n + BigInt((match[2] ?? "").padEnd(4, "0"));
}

export function vatOn(base: number, rate: string | null): number {
  if (rate === null) return 0;
  const units = rateUnits(rate);
  if (units === null) throw new RangeError(`Not a VAT rate: ${rate}`);
  const scaled = BigInt(base) * units; // base × percent × 10 000
  const divisor = 1_000_000n; // 100 (percent) × 10 000
  const sign = scaled < 0n ? -1n : 1n;
  const abs = scaled * sign;
  return Number(sign * ((abs + divisor / 2n) / divisor));
}

export function invoiceTotals(lines: InvoiceLineAmounts[]): InvoiceTotals {
  const byRate = new Map<string, VatGroup>();
  for (const line of lines) {
    const rate = line.vatRate === null ? null : line.vatRate.trim().replace(",", ".");
    const key = rate ?? "";
    const group = byRate.get(key) ?? { rate, base: 0, vat: 0 };
    group.base += line.net;
    byRate.set(key, group);
  }
  const groups = [...byRate.values()].map((g) => ({ ...g, vat: vatOn(g.base, g.rate) }));
  const net = groups.reduce((s, g) => s + g.base, 0);
  const vat = groups.reduce((s, g) => s + g.vat, 0);
  return { net, vat, gross: net + vat, groups };
}
