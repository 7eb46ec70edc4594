/** Messages of the payments area. French is the reference; English must have the same keys (checked by i18n.test.ts). */
export const fr = {
  "payments.title": "Paiement",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "payments.title": "Payment",
};
