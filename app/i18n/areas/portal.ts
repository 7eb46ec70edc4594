/** Messages of the debtor portal's pay and link pages. French is the reference; English must have the same keys (checked by i18n.test.ts). */
export const fr = {
  "portal.payInvoice": "Payer {amount}",
  "portal.payInvoiceLabel": "Payer {amount} (facture {number})",
  "payments.submitAmount": "Payer {amount}",
  "payments.copyIban": "Copier l'IBAN",
  "payments.copyBic": "Copier le BIC",
  "payments.copyReference": "Copier la référence",
  "payments.copied": "Copié",
  "payments.transfer.qrTitle": "Scanner avec l'application de votre banque",
  "payments.transfer.qrAlt": "QR code de virement SEPA : {amount} à {creditor}, référence {reference}",
  "payments.transfer.qrHint": "Le QR code remplit le virement de {amount} (toutes les factures ouvertes) avec la bonne référence.",
  "link.expiredFor": "Votre espace de paiement — {creditor}",
  "link.contact": "Besoin d'aide ? Contactez {creditor} :",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "portal.payInvoice": "Pay {amount}",
  "portal.payInvoiceLabel": "Pay {amount} (invoice {number})",
  "payments.submitAmount": "Pay {amount}",
  "payments.copyIban": "Copy IBAN",
  "payments.copyBic": "Copy BIC",
  "payments.copyReference": "Copy reference",
  "payments.copied": "Copied",
  "payments.transfer.qrTitle": "Scan with your banking app",
  "payments.transfer.qrAlt": "SEPA transfer QR code: {amount} to {creditor}, reference {reference}",
  "payments.transfer.qrHint": "The QR code fills in the transfer of {amount} (every open invoice) with the right reference.",
  "link.expiredFor": "Your payment space — {creditor}",
  "link.contact": "Need help? Contact {creditor}:",
};
