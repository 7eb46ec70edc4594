/** Messages of the intake area. French is the reference; English must have the same keys (checked by i18n.test.ts). */
export const fr = {
  "intake.title": "Import de factures",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "intake.title": "Invoice import",
};
