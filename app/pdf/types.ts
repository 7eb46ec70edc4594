import type { DebtorKind } from "~/domain/dunning/types";
import type { DebtorLegalForm } from "~/domain/legal/court";
import type { Mediator } from "~/domain/mediation/mediator";

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
  /** C. com. R123-237 mentions: "SAS", share capital in EUR cents, city of the RCS registry. */
  legalForm?: string | null;
  shareCapital?: number | null;
  rcsCity?: string | null;
  signatoryName?: string | null;
  signatoryRole?: string | null;
  /** Named in the dossier as the applicant's legal representative. */
  legalRepresentative?: string | null;
  /** The logo (PNG/JPEG bytes) printed top-left of the first page. */
  logo?: Buffer | null;
  /** IANA zone the moments of the trace are printed in (Europe/Paris when absent). */
  timeZone?: string | null;
  /** Set for documents to a consumer only: the consumer mediator they can turn to (C. conso. L616-1). */
  consumerMediator?: Mediator | null;
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
  legalForm?: DebtorLegalForm | null;
  country?: string | null;
  postalCode?: string | null;
};
