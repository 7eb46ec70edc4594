import type { EmailCreditor } from "../../../emails/index";
import { consumerMediatorOf } from "~/domain/mediation/mediator";
import { logoUrl } from "../documents/logo.server";

type CreditorRow = {
  legalName: string;
  brandName: string | null;
  brandColor: string | null;
  siren: string | null;
  rcsCity: string | null;
  vatNumber: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  city: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  /** The consumer mediator (shown to consumers only, see renderEmail). */
  consumerMediatorName?: string | null;
  consumerMediatorUrl?: string | null;
  consumerMediatorAddr?: string | null;
  /** With both, the email shows the creditor's logo. */
  id?: string;
  logoAttachmentId?: string | null;
};

/** How a dunning email names its creditor (brand, legal identity in the footer): the sender and the previews share it. */
export function emailCreditor(creditor: CreditorRow): EmailCreditor {
  return {
    legalName: creditor.legalName,
    brandName: creditor.brandName,
    brandColor: creditor.brandColor,
    siren: creditor.siren,
    rcsCity: creditor.rcsCity,
    vatNumber: creditor.vatNumber,
    address: [creditor.addressLine1, [creditor.postalCode, creditor.city].filter(Boolean).join(" ")].filter(Boolean).join(", "),
    contactEmail: creditor.contactEmail,
    contactPhone: creditor.contactPhone,
    logoUrl: creditor.id ? logoUrl({ id: creditor.id, logoAttachmentId: creditor.logoAttachmentId ?? null }) : null,
    consumerMediator: consumerMediatorOf({
      consumerMediatorName: creditor.consumerMediatorName ?? null,
      consumerMediatorUrl: creditor.consumerMediatorUrl ?? null,
      consumerMediatorAddr: creditor.consumerMediatorAddr ?? null,
    }),
  };
}
