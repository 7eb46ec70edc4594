/** Messages of the backoffice area. French is the reference; English must have the same keys (checked by i18n.test.ts). */
export const fr = {
  "backoffice.title": "Espace créancier",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "backoffice.title": "Creditor back-office",
};
