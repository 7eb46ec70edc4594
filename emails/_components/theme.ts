/** Colours and shared inline styles. Text colours meet WCAG AA (≥ 4.5:1) on their backgrounds. */
export const colors = {
  text: "#111827",
  muted: "#4b5563",
  border: "#d1d5db",
  page: "#f3f4f6",
  card: "#ffffff",
  fallbackBrand: "#1d4ed8",
  dark: "#111827",
  /** Days late: dark red, 7:1 on white. */
  late: "#991b1b",
} as const;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function normalize(color?: string | null): string | null {
  const c = color?.trim() ?? "";
  if (/^#[0-9a-f]{6}$/i.test(c)) return c.toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(c)) return `#${[...c.slice(1)].map((x) => x + x).join("")}`.toLowerCase();
  return null;
}

/**
 * The creditor's colour wherever it stays readable: `bar` is decoration;
 * `link` (text on white) and `button` fall back to the default blue, or the
 * button keeps a light brand colour with a dark label.
 */
export function brandPalette(color?: string | null): { bar: string; link: string; button: string; onButton: string } {
  const brand = normalize(color) ?? colors.fallbackBrand;
  const link = contrast(brand, colors.card) >= 4.5 ? brand : colors.fallbackBrand;
  if (contrast(brand, "#ffffff") >= 4.5) return { bar: brand, link, button: brand, onButton: "#ffffff" };
  if (contrast(brand, colors.dark) >= 4.5) return { bar: brand, link, button: brand, onButton: colors.dark };
  return { bar: brand, link, button: colors.fallbackBrand, onButton: "#ffffff" };
}

export const text = {
  paragraph: { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px", color: colors.text },
  small: { fontSize: "14px", lineHeight: "20px", margin: "0 0 12px", color: colors.muted },
  strong: { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px", color: colors.text, fontWeight: 700 },
} as const;
