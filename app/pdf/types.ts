import type { DebtorKind } from "~/domain/dunning/types";

/** Plain data the PDF builders read: the services load it, scoped to one creditor (and debtor). */
export type CreditorIdentity = {
  legalName: string;
  brandName?: string | null;
  siren?: string | null;
  vatNumber?: string | null;
  addressLines: string[];
  city?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  iban?: string | null;
  bic?: string | null;
};

export type DebtorIdentity = {
  name: string;
  kind: DebtorKind;
  legalId?: string | null;
  addressLines: string[];
  city?: string | null;
  email?: string | null;
  phone?: string | null;
  transferReference: string;
};
