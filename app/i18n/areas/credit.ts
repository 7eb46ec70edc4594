/** Messages of the credit policy (decision 025): a debtor's credit limit, exposure and payment terms; the plan rule over the limit. French is the reference. */
export const fr = {
  "credit.title": "Limite de crédit et délais de paiement",
  "credit.limit": "Limite de crédit",
  "credit.noLimit": "Aucune limite",
  "credit.exposure": "Encours (factures ouvertes)",
  "credit.exposureOther": "Également {amount} en {currency}, non compté dans la limite (exprimée en {limitCurrency})",
  "credit.terms": "Délais de paiement",
  "credit.termsNone": "Non convenus",
  "credit.terms.NET": "{days} jours à compter de la date de la facture",
  "credit.terms.END_OF_MONTH": "{days} jours fin de mois",
  "credit.warning": "Encours au-dessus de la limite de crédit : {exposure} dus pour une limite de {limit}, soit {over} de dépassement.",
  "credit.edit": "Modifier la limite et les délais",
  "credit.field.creditLimit": "Limite de crédit ({currency})",
  "credit.field.creditLimitHint":
    "Ce que ce client peut vous devoir au plus, toutes factures ouvertes en {currency}. Laissez vide : pas de limite.",
  "credit.field.paymentTermsDays": "Délai de paiement (jours)",
  "credit.field.paymentTermsHint":
    "Entre professionnels, 60 jours au plus à compter de la date de la facture, ou 45 jours fin de mois (C. com. L441-10 I). Une facture reçue sans échéance prend celle que donne ce délai.",
  "credit.field.paymentTermsBasis": "Décompte du délai",
  "credit.basis.NET": "Jours à compter de la date de la facture",
  "credit.basis.END_OF_MONTH": "Jours, puis fin du mois",
  "credit.save": "Enregistrer",
  "credit.errors.limit": "Indiquez un montant positif, par exemple 5000 ou 5000,00.",
  "credit.errors.termsDays": "Indiquez un nombre entier de jours, de 0 à 365.",
  "credit.errors.termsBasis": "Choisissez comment le délai se décompte.",
  "credit.errors.termsTooLong.NET":
    "Entre professionnels, le délai de paiement ne peut dépasser 60 jours à compter de la date de la facture (C. com. L441-10 I).",
  "credit.errors.termsTooLong.END_OF_MONTH":
    "Entre professionnels, le délai de paiement ne peut dépasser 45 jours fin de mois (C. com. L441-10 I).",
  "credit.overLimitBadge": "Limite dépassée",
  "bo.debtor.done.credit": "Limite de crédit et délais de paiement enregistrés.",
  "event.debtor.credit_policy": "Limite de crédit ou délais de paiement modifiés",
  "accounts.audit.debtor.credit_policy_changed": "Limite de crédit ou délais de paiement de {name} modifiés",
  "intake.settings.planOverLimitDownPc": "Acompte minimal d'un client au-dessus de sa limite de crédit (%)",
  "intake.settings.planOverLimitDownPcHint":
    "Un client dont l'encours dépasse sa limite doit verser au moins cet acompte pour que son échéancier soit accepté sans examen. Vide : pas de règle.",
  "plan.overLimit":
    "Votre encours dépasse la limite de crédit convenue avec nous. Pour que votre échéancier soit accepté tout de suite, versez un acompte d'au moins {pc} %, soit {amount} pour les factures choisies. Sans cet acompte, notre équipe examinera votre demande avant de vous répondre.",
};

export const en: Record<keyof typeof fr, string> = {
  "credit.title": "Credit limit and payment terms",
  "credit.limit": "Credit limit",
  "credit.noLimit": "No limit",
  "credit.exposure": "Exposure (open invoices)",
  "credit.exposureOther": "Also {amount} in {currency}, not counted against the limit (set in {limitCurrency})",
  "credit.terms": "Payment terms",
  "credit.termsNone": "Not agreed",
  "credit.terms.NET": "{days} days from the invoice date",
  "credit.terms.END_OF_MONTH": "{days} days end of month",
  "credit.warning": "Exposure above the credit limit: {exposure} owed against a limit of {limit}, {over} over.",
  "credit.edit": "Change the limit and terms",
  "credit.field.creditLimit": "Credit limit ({currency})",
  "credit.field.creditLimitHint": "The most this customer may owe you, all open invoices in {currency}. Leave empty for no limit.",
  "credit.field.paymentTermsDays": "Payment terms (days)",
  "credit.field.paymentTermsHint":
    "Between businesses, at most 60 days from the invoice date, or 45 days end of month (French Commercial Code L441-10 I). An invoice received without a due date gets the one these terms give.",
  "credit.field.paymentTermsBasis": "How the terms count",
  "credit.basis.NET": "Days from the invoice date",
  "credit.basis.END_OF_MONTH": "Days, then to the end of the month",
  "credit.save": "Save",
  "credit.errors.limit": "Enter a positive amount, for example 5000 or 5000.00.",
  "credit.errors.termsDays": "Enter a whole number of days, from 0 to 365.",
  "credit.errors.termsBasis": "Choose how the terms count.",
  "credit.errors.termsTooLong.NET":
    "Between businesses, payment terms may not exceed 60 days from the invoice date (French Commercial Code L441-10 I).",
  "credit.errors.termsTooLong.END_OF_MONTH":
    "Between businesses, payment terms may not exceed 45 days end of month (French Commercial Code L441-10 I).",
  "credit.overLimitBadge": "Over limit",
  "bo.debtor.done.credit": "Credit limit and payment terms saved.",
  "event.debtor.credit_policy": "Credit limit or payment terms changed",
  "accounts.audit.debtor.credit_policy_changed": "Credit limit or payment terms of {name} changed",
  "intake.settings.planOverLimitDownPc": "Minimum down payment from a customer over its credit limit (%)",
  "intake.settings.planOverLimitDownPcHint":
    "A customer whose exposure exceeds its limit must pay at least this down for its plan to be accepted without review. Empty: no such rule.",
  "plan.overLimit":
    "Your balance is above the credit limit agreed with us. For your plan to be accepted at once, pay at least {pc} % down, that is {amount} for the invoices chosen. Without this down payment, our team will review your request before answering.",
};
