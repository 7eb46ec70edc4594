import type { BaseEmailProps, EmailInvoice } from "../types";

/** Sample data for the react-email preview (`PreviewProps`) and the tests. */
export const sampleBase = {
  locale: "fr",
  creditor: {
    legalName: "Atelier Durand SAS",
    brandName: "Atelier Durand",
    brandColor: "#0f766e",
    siren: "732829320",
    address: "12 rue des Tanneurs, 69002 Lyon",
    contactEmail: "compta@atelier-durand.test",
    contactPhone: "04 78 00 00 00",
  },
  debtor: { name: "Boulangerie Martin SARL", kind: "BUSINESS" },
  portalUrl: "http://localhost:3000/p/preview-token",
} satisfies BaseEmailProps;

export const sampleInvoices: EmailInvoice[] = [
  {
    number: "F-2026-0104",
    issueDate: new Date("2026-10-01"),
    dueDate: new Date("2026-10-31"),
    amountDue: 310_000,
    currency: "EUR",
    daysLate: 30,
  },
  {
    number: "F-2026-0117",
    issueDate: new Date("2026-10-09"),
    dueDate: new Date("2026-11-08"),
    amountDue: 123_456,
    currency: "EUR",
    daysLate: 22,
  },
];
