/** Messages of the early-payment discount (escompte, C. com. L441-9; decision 028). French is the reference. */
export const fr = {
  "event.payment.discount_applied": "Escompte appliqué",
  "discount.offer.title": "Escompte pour paiement anticipé",
  "discount.offer.line": "Payez au plus tard le {date} : escompte de {rate}, soit {amount} à régler.",
  "discount.offer.invoice": "Facture {number} : {amount} au lieu de {balance}",
  "discount.offer.pay": "Le montant de l'escompte est déduit si vous réglez la totalité aujourd'hui.",
  "discount.mention.offered": "Escompte pour paiement anticipé : {rate} si règlement au plus tard le {date}.",
  "discount.mention.none": "Pas d'escompte pour paiement anticipé.",
  "discount.applied": "Escompte pour paiement anticipé ({rate}) accordé le {date} : {amount}",
  "discount.invoice.applied": "Escompte pour paiement anticipé",
  "discount.receipt.heading": "Escompte pour paiement anticipé",
  "discount.receipt.row": "Facture {number} : escompte de {rate}",
  "discount.receipt.total": "Soldé, escompte compris",
  "discount.settings.legend": "Escompte pour paiement anticipé",
  "discount.settings.lead":
    "Proposé sur les nouvelles factures (les factures déjà émises gardent leurs conditions), jamais sur une facture échue. Laissez le taux vide pour ne pas en proposer.",
  "discount.settings.rate": "Taux de l'escompte (%)",
  "discount.settings.days": "Délai à compter de la date d'émission (jours)",
  "discount.settings.save": "Enregistrer l'escompte",
  "discount.settings.errors.rate": "Indiquez un taux entre 0,01 et 50, par exemple 2 ou 1,5.",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "event.payment.discount_applied": "Early-payment discount applied",
  "discount.offer.title": "Early-payment discount",
  "discount.offer.line": "Pay by {date}: {rate} early-payment discount, {amount} to pay.",
  "discount.offer.invoice": "Invoice {number}: {amount} instead of {balance}",
  "discount.offer.pay": "The discount is taken off when you pay the whole amount today.",
  "discount.mention.offered": "Early-payment discount: {rate} if paid by {date}.",
  "discount.mention.none": "No discount for early payment.",
  "discount.applied": "Early-payment discount ({rate}) granted on {date}: {amount}",
  "discount.invoice.applied": "Early-payment discount",
  "discount.receipt.heading": "Early-payment discount",
  "discount.receipt.row": "Invoice {number}: {rate} discount",
  "discount.receipt.total": "Settled, discount included",
  "discount.settings.legend": "Early-payment discount",
  "discount.settings.lead":
    "Offered on new invoices (invoices already issued keep their terms), never on an overdue invoice. Leave the rate empty to offer none.",
  "discount.settings.rate": "Discount rate (%)",
  "discount.settings.days": "Days from the issue date",
  "discount.settings.save": "Save the discount",
  "discount.settings.errors.rate": "Enter a rate between 0.01 and 50, for example 2 or 1.5.",
};
