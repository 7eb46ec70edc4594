import type { EInvoiceProfile } from "./types";

/**
 * Guideline identifiers (CII ExchangedDocumentContext/
 * GuidelineSpecifiedDocumentContextParameter/ID, UBL CustomizationID) and
 * the profile each names. Sources in docs/decisions/011-e-invoicing.md.
 */
export const PROFILE_IDS: Readonly<Record<Exclude<EInvoiceProfile, "XRECHNUNG" | "UNKNOWN">, string>> = {
  MINIMUM: "urn:factur-x.eu:1p0:minimum",
  BASIC_WL: "urn:factur-x.eu:1p0:basicwl",
  BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
  EN16931: "urn:cen.eu:en16931:2017",
  EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
};

/** ZUGFeRD 2.0 spelt the same profiles under its own namespace. */
const ZUGFERD_2P0: Record<string, EInvoiceProfile> = {
  "urn:zugferd.de:2p0:minimum": "MINIMUM",
  "urn:zugferd.de:2p0:basicwl": "BASIC_WL",
  "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic": "BASIC",
  "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended": "EXTENDED",
};

export function profileFromGuideline(id: string | null): EInvoiceProfile {
  if (!id) return "UNKNOWN";
  const value = id.trim();
  for (const [profile, urn] of Object.entries(PROFILE_IDS)) if (value === urn) return profile as EInvoiceProfile;
  if (ZUGFERD_2P0[value]) return ZUGFERD_2P0[value]!;
  // EXTENDED-CTC-FR and later minor versions extend the EXTENDED identifier.
  if (value.startsWith(PROFILE_IDS.EXTENDED)) return "EXTENDED";
  if (value.includes("xrechnung")) return "XRECHNUNG";
  // Any other CIUS of the norm (Peppol BIS, national CIUS) is an EN 16931 invoice.
  if (value.startsWith("urn:cen.eu:en16931:2017#compliant#")) return "EN16931";
  return "UNKNOWN";
}
