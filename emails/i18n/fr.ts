/** French email copy. Placeholders: {creditor}, {number}, {count}, {total}, {deadline}, {amount}, {date}. */
export const fr = {
  locale: "fr-FR",
  greeting: "Bonjour {name},",
  viewAndPay: "Voir et payer",
  linkFallback: "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :",
  signature: "Le service comptabilité de {creditor}",
  footerAbout: "Vous recevez cet e-mail au sujet de factures dues à {creditor}.",
  footerSiren: "SIREN {siren}",
  alreadyPaid: "Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.",
  table: { number: "Facture", issueDate: "Date", dueDate: "Échéance", amountDue: "Reste dû", daysLate: "Retard", total: "Total dû", days: "{days} j", notDue: "—" },
  subjects: {
    courtesy_reminder: { one: "Facture {number} : échéance le {date}", many: "{count} factures arrivent à échéance" },
    first_reminder: { one: "Facture {number} : rappel de paiement", many: "Rappel : {count} factures en attente de paiement" },
    second_reminder: { one: "Facture {number} : second rappel", many: "Second rappel : {count} factures impayées" },
    penalties_notice: { one: "Facture {number} : retard de paiement", many: "Retard de paiement : {count} factures" },
    formal_notice: { one: "Mise en demeure de payer — facture {number}", many: "Mise en demeure de payer — {count} factures" },
    portal_link: "Votre lien d'accès à l'espace de paiement {creditor}",
    payment_receipt: "Reçu de paiement — {creditor}",
    payment_failed: "Votre paiement n'a pas abouti — {creditor}",
    plan_confirmation: "Votre échéancier est confirmé — {creditor}",
    plan_rejected: "Votre proposition d'échéancier — {creditor}",
    dispute_answer: "Réponse à votre contestation — facture {number} — {creditor}",
    promise_confirmation: "Nous avons bien noté votre promesse de paiement — {creditor}",
  },
  dunning: {
    courtesy_reminder: {
      CORDIAL: "Petit rappel amical : la facture ci-dessous arrive bientôt à échéance. Merci de votre confiance !",
      STANDARD: "Nous vous rappelons que la facture ci-dessous arrive prochainement à échéance.",
      FIRM: "La facture ci-dessous arrive à échéance. Merci de prévoir son règlement à la date convenue.",
    },
    first_reminder: {
      CORDIAL: "Sauf erreur de notre part, nous n'avons pas encore reçu le règlement de la facture ci-dessous. Un simple oubli, sans doute !",
      STANDARD: "Sauf erreur de notre part, la facture ci-dessous reste impayée à ce jour.",
      FIRM: "La facture ci-dessous est échue et reste impayée. Merci de procéder à son règlement sans délai.",
    },
    second_reminder: {
      CORDIAL: "Malgré notre précédent rappel, la facture ci-dessous reste impayée. Si vous rencontrez une difficulté, vous pouvez demander un échéancier en ligne.",
      STANDARD: "Malgré notre précédent rappel, la facture ci-dessous reste impayée. Nous vous remercions de la régler dans les meilleurs délais ou de nous proposer un échéancier.",
      FIRM: "Malgré nos relances, la facture ci-dessous reste impayée. Nous vous demandons de la régler immédiatement.",
    },
    penalties_notice: {
      CORDIAL: "La facture ci-dessous présente désormais un retard important. Réglez-la ou proposez un échéancier en ligne pour éviter des frais.",
      STANDARD: "La facture ci-dessous présente un retard de paiement important.",
      FIRM: "La facture ci-dessous présente un retard de paiement important. Sans règlement de votre part, nous engagerons la procédure de recouvrement.",
    },
    formal_notice: {
      CORDIAL: "Nos précédentes relances étant restées sans effet, nous vous mettons en demeure de régler les sommes ci-dessous.",
      STANDARD: "Nos précédentes relances étant restées sans effet, nous vous mettons en demeure de régler les sommes ci-dessous.",
      FIRM: "Nos précédentes relances étant restées sans effet, nous vous mettons en demeure de régler les sommes ci-dessous.",
    },
  },
  penaltiesBusiness:
    "Conformément à l'article L441-10 du Code de commerce, tout retard de paiement fait courir de plein droit des pénalités de retard, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € par facture (article D441-5).",
  penaltiesConsumer: "Sans règlement de votre part, nous serons contraints d'envisager d'autres démarches pour recouvrer cette somme.",
  lateCharges: "Pénalités de retard à ce jour : {interest}. Indemnité forfaitaire : {indemnity}.",
  formalNoticeTitle: "MISE EN DEMEURE",
  formalNoticeDeadline: "Nous vous demandons de régler la somme de {total} au plus tard le {deadline}.",
  formalNoticeConsequence:
    "À défaut de paiement dans ce délai, nous saisirons la juridiction compétente par voie d'injonction de payer, sans autre avis. Les frais de procédure pourront être mis à votre charge.",
  formalNoticeInterest: "La présente mise en demeure fait courir les intérêts au taux légal (article 1344-1 du Code civil).",
  notices: {
    portal_link: "Voici votre nouveau lien d'accès sécurisé. Il vous permet de consulter vos factures, de payer ou de demander un échéancier.",
    payment_receipt: "Nous avons bien reçu votre paiement de {amount} le {date}. Merci ! Référence : {reference}.",
    payment_failed: "Votre paiement de {amount} n'a pas abouti ({reason}). Les factures concernées restent dues : vous pouvez réessayer depuis votre espace.",
    plan_confirmation: "Votre échéancier de {amount} est confirmé. Voici les dates de prélèvement ou de paiement :",
    plan_rejected: "Nous ne pouvons pas accepter votre proposition d'échéancier. Motif : {reason}",
    plan_counter: "Nous vous proposons à la place l'échéancier suivant, que vous pouvez accepter depuis votre espace :",
    dispute_credit: "Après examen de votre contestation sur la facture {number}, nous vous donnons raison : un avoir a été établi. {answer}",
    dispute_rejected: "Après examen de votre contestation sur la facture {number}, nous maintenons notre facture. {answer} Les relances reprennent.",
    promise_confirmation: "Nous avons bien noté votre engagement de régler {amount} au plus tard le {date}. Les relances sont suspendues jusqu'à cette date.",
  },
  installment: "Échéance",
};

export type EmailDictionary = typeof fr;
