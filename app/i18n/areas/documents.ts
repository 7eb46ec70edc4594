/** Messages of the documents area. French is the reference; English must have the same keys (checked by i18n.test.ts). */
export const fr = {
  "documents.title": "Documents",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "documents.title": "Documents",
};
