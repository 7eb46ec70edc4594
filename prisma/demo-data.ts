/**
 * The demo data set: a French creditor and a dozen debtors whose invoices sit
 * at every stage of the default calendar relative to "today". Pure data: the
 * seed (prisma/seed.ts) turns it into rows.
 */
export type DemoInvoice = {
  number: string;
  /** Days from today to the due date (negative = overdue). */
  dueInDays: number;
  amount: number;
  paid?: number;
  stage: string;
  dispute?: { reason: "NOT_RECEIVED" | "AMOUNT_WRONG" | "DEFECTIVE" | "ALREADY_PAID" | "OTHER"; message: string };
  plan?: { installments: number };
  promiseInDays?: number;
  /** The invoice's lines (net amounts in cents, VAT rate in percent): its PDF copy then shows HT / TVA / TTC. */
  lines?: { description: string; quantity: string; unitPrice: string; net: number; vatRate: string | null }[];
};

export type DemoDebtor = {
  externalRef: string;
  kind: "BUSINESS" | "CONSUMER";
  name: string;
  legalId?: string;
  locale: "fr" | "en";
  email: string | null;
  phone?: string;
  address: { line1: string; postalCode: string; city: string; country: string };
  /** Credit policy (decision 025): limit in cents of the creditor's currency, payment terms. */
  credit?: { creditLimit: number; paymentTermsDays: number; paymentTermsBasis: "NET" | "END_OF_MONTH" };
  invoices: DemoInvoice[];
};

export const DEMO_CREDITOR = {
  slug: "atelier-durand",
  legalName: "Atelier Durand SAS",
  brandName: "Atelier Durand",
  brandColor: "#1d4ed8",
  // The demo creditor starts with dunning on; a real one switches it on from the go-live checklist.
  dunningEnabled: true,
  siren: "732829320",
  vatNumber: "FR44732829320",
  addressLine1: "12 rue des Tanneurs",
  postalCode: "69002",
  city: "Lyon",
  country: "FR",
  contactEmail: "compta@atelier-durand.test",
  contactPhone: "+33 4 72 00 00 00",
  iban: "FR7630006000011234567890189",
  bic: "AGRIFRPPXXX",
  // Its private customers are told of the consumer mediator they can turn to (C. conso. L612-1).
  consumerMediatorName: "CM2C",
  consumerMediatorUrl: "https://www.cm2c.net",
  consumerMediatorAddr: "14 rue Saint-Jean, 75017 Paris",
};

export const DEMO_OWNER = { email: "owner@atelier-durand.test", name: "Claire Durand", password: "relance-demo" };
export const DEMO_AGENT = { email: "agent@atelier-durand.test", name: "Karim Benali", password: "relance-demo" };

const lyon = { line1: "5 place Bellecour", postalCode: "69002", city: "Lyon", country: "FR" };

export const DEMO_DEBTORS: DemoDebtor[] = [
  {
    externalRef: "C-1001",
    kind: "BUSINESS",
    name: "Boulangerie Martin SARL",
    legalId: "443061841",
    locale: "fr",
    email: "compta@boulangerie-martin.test",
    phone: "+33 6 12 34 56 78",
    address: { ...lyon, line1: "3 rue Mercière" },
    invoices: [
      { number: "F-2026-0101", dueInDays: 20, amount: 125_000, stage: "not due yet" },
      { number: "F-2026-0102", dueInDays: 8, amount: 48_000, stage: "J-8" },
    ],
  },
  {
    externalRef: "C-1002",
    kind: "BUSINESS",
    name: "Garage du Rhône SAS",
    legalId: "512345678",
    locale: "fr",
    email: "factures@garage-rhone.test",
    phone: "+33 4 78 11 22 33",
    address: { ...lyon, line1: "88 quai Perrache" },
    invoices: [{ number: "F-2026-0103", dueInDays: 3, amount: 230_000, stage: "J-3" }],
  },
  {
    externalRef: "C-1003",
    kind: "BUSINESS",
    name: "Nordic Design Ltd",
    legalId: "GB123456789",
    locale: "en",
    email: "accounts@nordic-design.test",
    phone: "+44 20 7946 0000",
    address: { line1: "10 Shoreditch High St", postalCode: "E1 6JE", city: "London", country: "GB" },
    invoices: [
      { number: "F-2026-0104", dueInDays: -1, amount: 310_000, stage: "J+1" },
      { number: "F-2026-0105", dueInDays: -1, amount: 45_500, stage: "J+1 (grouped)" },
    ],
  },
  {
    externalRef: "C-1004",
    kind: "BUSINESS",
    name: "Imprimerie Lefèvre",
    legalId: "389012345",
    locale: "fr",
    email: "direction@imprimerie-lefevre.test",
    phone: "+33 4 72 33 44 55",
    address: { ...lyon, line1: "21 rue de la République" },
    invoices: [{ number: "F-2026-0106", dueInDays: -15, amount: 89_900, stage: "J+15" }],
  },
  {
    externalRef: "C-1005",
    kind: "BUSINESS",
    name: "Traiteur Saveurs & Co",
    legalId: "803456789",
    locale: "fr",
    email: "contact@saveurs-co.test",
    phone: "+33 6 98 76 54 32",
    address: { ...lyon, line1: "7 rue Grenette" },
    invoices: [{ number: "F-2026-0107", dueInDays: -30, amount: 560_000, stage: "J+30" }],
  },
  {
    externalRef: "C-1006",
    kind: "BUSINESS",
    name: "BTP Moreau et Fils",
    legalId: "421987654",
    locale: "fr",
    email: "gestion@btp-moreau.test",
    phone: "+33 4 78 99 88 77",
    address: { ...lyon, line1: "150 avenue Jean Jaurès", postalCode: "69007" },
    invoices: [{ number: "F-2026-0108", dueInDays: -45, amount: 1_240_000, stage: "J+45 (mise en demeure)" }],
  },
  {
    externalRef: "C-1007",
    kind: "CONSUMER",
    name: "Sophie Bernard",
    locale: "fr",
    email: "sophie.bernard@example.test",
    phone: "+33 6 11 22 33 44",
    address: { ...lyon, line1: "9 rue Victor Hugo" },
    invoices: [{ number: "F-2026-0109", dueInDays: -45, amount: 64_000, stage: "J+45 consumer" }],
  },
  {
    externalRef: "C-1008",
    kind: "CONSUMER",
    name: "James Wilson",
    locale: "en",
    email: "james.wilson@example.test",
    phone: "+33 7 55 66 77 88",
    address: { ...lyon, line1: "2 rue Édouard Herriot" },
    invoices: [
      { number: "F-2026-0110", dueInDays: -60, amount: 39_900, paid: 39_900, stage: "paid" },
      { number: "F-2026-0111", dueInDays: -20, amount: 120_000, paid: 50_000, stage: "partially paid" },
    ],
  },
  {
    externalRef: "C-1009",
    kind: "BUSINESS",
    name: "Café des Arts",
    legalId: "794561230",
    locale: "fr",
    email: "cafe.arts@example.test",
    phone: "+33 4 72 10 20 30",
    address: { ...lyon, line1: "1 place des Terreaux", postalCode: "69001" },
    invoices: [
      {
        number: "F-2026-0112",
        dueInDays: -10,
        amount: 78_000,
        stage: "disputed",
        dispute: { reason: "DEFECTIVE", message: "Deux chaises livrées avec un pied cassé, photos envoyées à votre service client." },
      },
    ],
  },
  {
    externalRef: "C-1010",
    kind: "BUSINESS",
    name: "Studio Ocre",
    legalId: "881234567",
    locale: "fr",
    email: "studio@ocre.test",
    phone: "+33 6 40 50 60 70",
    address: { ...lyon, line1: "40 rue Saint-Jean", postalCode: "69005" },
    invoices: [{ number: "F-2026-0113", dueInDays: -35, amount: 360_000, stage: "on a plan", plan: { installments: 3 } }],
  },
  {
    externalRef: "C-1011",
    kind: "CONSUMER",
    name: "Lucas Petit",
    locale: "fr",
    email: "lucas.petit@example.test",
    phone: "+33 6 01 02 03 04",
    address: { ...lyon, line1: "18 cours Gambetta", postalCode: "69003" },
    invoices: [{ number: "F-2026-0114", dueInDays: -5, amount: 25_000, stage: "promise to pay", promiseInDays: 7 }],
  },
  {
    externalRef: "C-1012",
    kind: "BUSINESS",
    name: "Pharmacie Centrale",
    legalId: "330111222",
    locale: "fr",
    email: null,
    phone: "+33 4 78 45 45 45",
    address: { ...lyon, line1: "60 rue Garibaldi", postalCode: "69006" },
    invoices: [{ number: "F-2026-0115", dueInDays: -1, amount: 54_000, stage: "J+1 without email (staff task)" }],
  },
  {
    // The policy editor journey: its J+1 reminder has gone, the next step is the J+15 one.
    externalRef: "C-1013",
    kind: "BUSINESS",
    name: "Menuiserie Garnier SARL",
    legalId: "552100554",
    locale: "fr",
    email: "compta@menuiserie-garnier.test",
    phone: "+33 4 78 60 70 80",
    address: { ...lyon, line1: "9 rue de la Charité", postalCode: "69002" },
    invoices: [{ number: "F-2026-1013", dueInDays: -5, amount: 132_000, stage: "J+1 sent, J+15 next" }],
  },
  {
    // The inbound email journey: answers its J+1 reminder from the dev mailbox with a promise.
    externalRef: "C-1014",
    kind: "BUSINESS",
    name: "Fromagerie Vial SARL",
    legalId: "451236987",
    locale: "fr",
    email: "compta@fromagerie-vial.test",
    phone: "+33 4 78 21 43 65",
    address: { ...lyon, line1: "14 rue du Plat", postalCode: "69002" },
    invoices: [{ number: "F-2026-1014", dueInDays: -1, amount: 84_000, stage: "J+1 (answers by email)" }],
  },
  {
    // The inbound email journey: its accountant writes from an address relance does not know, assigned once.
    externalRef: "C-1015",
    kind: "BUSINESS",
    name: "Librairie Ravel",
    legalId: "478523691",
    locale: "fr",
    email: "contact@librairie-ravel.test",
    phone: "+33 4 72 56 78 90",
    address: { ...lyon, line1: "3 rue Chenavard", postalCode: "69001" },
    invoices: [{ number: "F-2026-1015", dueInDays: -1, amount: 46_500, stage: "J+1 (unknown sender)" }],
  },
  {
    // The cash application journey: one transfer pays two of its invoices at once; staff apply another by hand to the third.
    externalRef: "C-1016",
    kind: "BUSINESS",
    name: "Maison Bertin SARL",
    legalId: "418529637",
    locale: "fr",
    email: "compta@maison-bertin.test",
    phone: "+33 4 78 33 44 55",
    address: { ...lyon, line1: "22 rue des Remparts d'Ainay", postalCode: "69002" },
    invoices: [
      { number: "F-2026-1061", dueInDays: -12, amount: 84_000, stage: "J+12 (paid with the next one in one transfer)" },
      { number: "F-2026-1062", dueInDays: -6, amount: 126_000, stage: "J+6 (paid with the previous one in one transfer)" },
      { number: "F-2026-1063", dueInDays: -3, amount: 50_000, stage: "J+3 (a deposit applied by hand)" },
    ],
  },
  {
    // The acknowledgements journey: opens a dispute on its invoice with lines (HT / TVA / TTC), pays the other by card.
    externalRef: "C-1017",
    kind: "BUSINESS",
    name: "Menuiserie Roux SARL",
    legalId: "512345678",
    locale: "fr",
    email: "compta@menuiserie-roux.test",
    phone: "+33 4 78 12 34 56",
    address: { ...lyon, line1: "3 rue Mercière" },
    invoices: [
      {
        number: "F-2026-0317",
        dueInDays: -12,
        amount: 124_800,
        stage: "J+12, with its lines",
        lines: [
          { description: "Table en chêne massif", quantity: "1", unitPrice: "900.00", net: 90_000, vatRate: "20" },
          { description: "Livraison et montage", quantity: "1", unitPrice: "140.00", net: 14_000, vatRate: "20" },
        ],
      },
      { number: "F-2026-0318", dueInDays: -8, amount: 48_000, stage: "J+8" },
    ],
  },
  {
    // The acknowledgements journey: proposes a plan within the creditor's rules.
    externalRef: "C-1018",
    kind: "BUSINESS",
    name: "Garage Lopez",
    legalId: "523456789",
    locale: "fr",
    email: "garage.lopez@example.test",
    phone: "+33 4 78 65 43 21",
    address: { ...lyon, line1: "88 cours Lafayette", postalCode: "69003" },
    invoices: [{ number: "F-2026-0319", dueInDays: -20, amount: 90_000, stage: "J+20" }],
  },
  {
    // The layout and accessibility journey, read-only: a plan and an open invoice nobody pays or changes.
    externalRef: "C-1019",
    kind: "BUSINESS",
    name: "Vitraux Mercier",
    legalId: "534567891",
    locale: "fr",
    email: "atelier@vitraux-mercier.test",
    phone: "+33 4 78 24 68 10",
    address: { ...lyon, line1: "5 place du Change", postalCode: "69005" },
    invoices: [{ number: "F-2026-1019", dueInDays: -35, amount: 360_000, stage: "on a plan", plan: { installments: 3 } }],
  },
  {
    // Credit policy (decision 025): 6 500 € open against a 5 000 € limit, 45 days end of month: the debtor page warns.
    externalRef: "C-1021",
    kind: "BUSINESS",
    name: "Menuiserie Garnier",
    legalId: "512345679",
    locale: "fr",
    email: "compta@menuiserie-garnier.test",
    phone: "+33 4 78 36 92 14",
    address: { ...lyon, line1: "9 rue Mercière", postalCode: "69002" },
    credit: { creditLimit: 500_000, paymentTermsDays: 45, paymentTermsBasis: "END_OF_MONTH" },
    invoices: [
      { number: "F-2026-1021", dueInDays: -12, amount: 400_000, stage: "over its credit limit" },
      { number: "F-2026-1121", dueInDays: 20, amount: 250_000, stage: "not yet due" },
    ],
  },
  {
    // Mediation (decision 027): a disputed, stuck case staff can hand to the Médiateur des entreprises.
    externalRef: "C-1023",
    kind: "BUSINESS",
    name: "Charpentes Roux",
    legalId: "545678912",
    locale: "fr",
    email: "contact@charpentes-roux.test",
    phone: "+33 4 78 13 57 91",
    address: { ...lyon, line1: "21 rue de la Charité", postalCode: "69002" },
    invoices: [
      {
        number: "F-2026-1023",
        dueInDays: -50,
        amount: 540_000,
        stage: "disputed, stuck",
        dispute: {
          reason: "DEFECTIVE",
          message: "La charpente livrée ne correspond pas aux plans validés : nous refusons de payer en l'état.",
        },
      },
      { number: "F-2026-1123", dueInDays: -50, amount: 120_000, stage: "J+50" },
    ],
  },
];
