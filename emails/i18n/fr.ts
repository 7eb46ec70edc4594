import type { EmailTone } from "../types";

/**
 * French copy of every email. `en.ts` is typed against this object, so a key
 * missing there (or a message taking other arguments) is a type error.
 * Messages with variables are functions; amounts and dates arrive formatted.
 * French typography: a no-break space (\u00a0) before « : » and « ! » and in
 * « 40\u00a0€ », so a line never starts with the punctuation or the sign.
 */

type Tones = Record<EmailTone, (a: { many: boolean }) => string>;
const n = (many: boolean, one: string, other: string) => (many ? other : one);

export const fr = {
  intlLocale: "fr-FR",
  dateFormat: { day: "2-digit", month: "2-digit", year: "numeric" } as Intl.DateTimeFormatOptions,

  layout: {
    greeting: (name: string) => `Bonjour ${name},`,
    linkIntro: "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:",
    linkPersonal: "Ce lien vous est personnel\u00a0: merci de ne pas le transférer.",
    signature: (creditor: string) => `Le service comptabilité — ${creditor}`,
    footerAbout: (creditor: string) => `Vous recevez cet e-mail au sujet de factures dues à ${creditor}.`,
    siren: (siren: string) => `SIREN ${siren}`,
    contact: "Contact\u00a0:",
  },
  cta: { pay: "Voir et payer", open: "Ouvrir mon espace" },

  invoiceTable: {
    heading: (many: boolean) => n(many, "Facture concernée", "Factures concernées"),
    number: "Facture",
    issuedOn: (date: string) => `émise le ${date}`,
    dueDate: "Échéance",
    amountDue: "Reste dû",
    late: (days: number) => (days === 1 ? "1 jour de retard" : `${days} jours de retard`),
    notDue: "à échoir",
    total: "Total dû",
  },
  scheduleTable: { heading: "Calendrier des échéances", number: "N°", date: "Date", amount: "Montant", total: "Total" },
  details: { amount: "Montant", date: "Date", reference: "Référence", invoices: "Factures concernées", reason: "Motif" },

  reminders: {
    subject: {
      courtesy_reminder: {
        one: (number: string, due: string) => `Facture ${number} : échéance le ${due}`,
        many: (count: number) => `${count} factures arrivent à échéance`,
      },
      first_reminder: {
        one: (number: string) => `Facture ${number} : rappel de paiement`,
        many: (count: number) => `Rappel : ${count} factures en attente de paiement`,
      },
      second_reminder: {
        one: (number: string) => `Facture ${number} : second rappel`,
        many: (count: number) => `Second rappel : ${count} factures impayées`,
      },
      penalties_notice: {
        one: (number: string) => `Facture ${number} : retard de paiement`,
        many: (count: number) => `Retard de paiement : ${count} factures`,
      },
    },
    title: {
      courtesy_reminder: "Échéance prochaine",
      first_reminder: "Rappel de paiement",
      second_reminder: "Second rappel",
      penalties_notice: "Retard de paiement",
    },
    preview: (total: string, count: number) => `Montant dû\u00a0: ${total} (${count === 1 ? "1 facture" : `${count} factures`}).`,
    intro: {
      courtesy_reminder: {
        CORDIAL: ({ many }) =>
          `Petit rappel amical\u00a0: ${n(many, "la facture ci-dessous arrive", "les factures ci-dessous arrivent")} bientôt à échéance. Si le règlement est déjà prévu, tout est en ordre — merci de votre confiance\u00a0!`,
        STANDARD: ({ many }) =>
          `Nous vous rappelons que ${n(many, "la facture ci-dessous arrive", "les factures ci-dessous arrivent")} prochainement à échéance. Merci de prévoir ${n(many, "son", "leur")} règlement à la date convenue.`,
        FIRM: ({ many }) =>
          `${n(many, "La facture ci-dessous arrive", "Les factures ci-dessous arrivent")} prochainement à échéance. Nous vous demandons de veiller à ce que le règlement nous parvienne au plus tard à la date d'échéance.`,
      },
      first_reminder: {
        CORDIAL: ({ many }) =>
          `Sauf erreur de notre part, nous n'avons pas encore reçu le règlement ${n(many, "de la facture ci-dessous", "des factures ci-dessous")}, ${n(many, "arrivée", "arrivées")} à échéance. Il s'agit sans doute d'un simple oubli\u00a0!`,
        STANDARD: ({ many }) =>
          `Sauf erreur de notre part, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")} à ce jour. Nous vous remercions de procéder à ${n(many, "son", "leur")} règlement.`,
        FIRM: ({ many }) =>
          `${n(many, "La facture ci-dessous est échue et reste impayée", "Les factures ci-dessous sont échues et restent impayées")}. Nous vous demandons de ${n(many, "la", "les")} régler sans délai.`,
      },
      second_reminder: {
        CORDIAL: ({ many }) =>
          `Malgré notre précédent rappel, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")}. Si vous rencontrez une difficulté, vous pouvez demander un échéancier en ligne\u00a0: nous l'étudierons avec attention.`,
        STANDARD: ({ many }) =>
          `Malgré notre précédent rappel, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")}. Nous vous remercions de ${n(many, "la", "les")} régler dans les meilleurs délais, ou de nous proposer un échéancier.`,
        FIRM: ({ many }) =>
          `Malgré nos relances, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")}. Nous vous demandons de ${n(many, "la", "les")} régler immédiatement.`,
      },
      penalties_notice: {
        CORDIAL: ({ many }) =>
          `${n(many, "La facture ci-dessous présente", "Les factures ci-dessous présentent")} désormais un retard de paiement important. Pour régulariser la situation, vous pouvez payer en ligne ou proposer un échéancier.`,
        STANDARD: ({ many }) =>
          `Malgré nos relances, ${n(many, "la facture ci-dessous présente", "les factures ci-dessous présentent")} un retard de paiement important. Nous vous demandons de régulariser la situation sans attendre.`,
        FIRM: ({ many }) =>
          `Malgré nos relances, ${n(many, "la facture ci-dessous présente", "les factures ci-dessous présentent")} un retard de paiement important. Sans règlement rapide de votre part, nous engagerons une procédure de recouvrement.`,
      },
    } satisfies Record<string, Tones>,
    portalOptions:
      "Depuis votre espace sécurisé, vous pouvez payer en ligne, demander un échéancier ou signaler un problème sur une facture.",
    businessPenalties:
      "Nous vous rappelons que, conformément à l'article L441-10 du Code de commerce, tout retard de paiement fait courir de plein droit, dès le lendemain de la date d'échéance, des pénalités de retard, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture (article D441-5 du Code de commerce).",
    consumerWarning:
      "Sans règlement de votre part, nous serons contraints de vous adresser une mise en demeure, puis d'engager une procédure de recouvrement.",
    closing: {
      CORDIAL: "Merci par avance, et n'hésitez pas à nous contacter pour toute question.",
      STANDARD: "Nous vous remercions par avance de votre règlement.",
      FIRM: "Nous comptons sur votre règlement rapide.",
    } satisfies Record<EmailTone, string>,
    alreadyPaid: "Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.",
  },

  lateCharges: {
    heading: "Pénalités et indemnité à ce jour",
    interest: "Pénalités de retard",
    indemnity: "Indemnité forfaitaire pour frais de recouvrement (40\u00a0€ par facture)",
    note: "Ces sommes s'ajoutent au montant des factures.",
  },

  formalNotice: {
    subject: {
      one: (number: string) => `Mise en demeure de payer — facture ${number}`,
      many: (count: number) => `Mise en demeure de payer — ${count} factures`,
    },
    title: "Mise en demeure de payer",
    preview: (total: string, deadline: string) => `Mise en demeure de payer ${total} au plus tard le ${deadline}.`,
    recipient: (name: string) => `À l'attention de\u00a0: ${name}`,
    object: (numbers: string[]) =>
      `Objet\u00a0: mise en demeure de payer — ${numbers.length === 1 ? "facture" : "factures"} n° ${numbers.join(", ")}`,
    salutation: "Madame, Monsieur,",
    intro: {
      CORDIAL: ({ many }) =>
        `Malgré nos relances amiables, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")} à ce jour. Nous regrettons d'avoir à vous adresser la présente mise en demeure.`,
      STANDARD: ({ many }) =>
        `Malgré nos précédentes relances, ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")} à ce jour.`,
      FIRM: ({ many }) =>
        `Nos relances sont restées sans effet\u00a0: ${n(many, "la facture ci-dessous reste impayée", "les factures ci-dessous restent impayées")} à ce jour.`,
    } satisfies Tones,
    demand: (total: string, deadline: string) =>
      `Par la présente, nous vous mettons en demeure de nous régler la somme de ${total} au plus tard le ${deadline}.`,
    businessPenalties:
      "Conformément à l'article L441-10 du Code de commerce, ces sommes portent de plein droit, depuis le lendemain de leur date d'échéance, des pénalités de retard, auxquelles s'ajoute une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture (article D441-5 du Code de commerce).",
    consumerInterest:
      "Conformément aux articles 1231-6 et 1344-1 du Code civil, la présente mise en demeure fait courir les intérêts au taux légal sur les sommes dues.",
    attached: "La lettre de mise en demeure est jointe à ce message (PDF)\u00a0; elle vous est également adressée par courrier recommandé.",
    consequence:
      "À défaut de paiement dans ce délai, nous saisirons sans autre avis la juridiction compétente d'une requête en injonction de payer. Les dépens de la procédure pourront être mis à votre charge.",
    lastChance: {
      CORDIAL:
        "Si vous rencontrez des difficultés, vous pouvez encore proposer un échéancier depuis votre espace avant cette date\u00a0: nous l'étudierons.",
      STANDARD: "Vous pouvez encore régler en ligne ou proposer un échéancier depuis votre espace avant cette date.",
      FIRM: "Ce courrier constitue notre dernier avis avant l'engagement de la procédure.",
    } satisfies Record<EmailTone, string>,
    closing: "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
    signature: (legalName: string) => `Pour ${legalName}, le service comptabilité`,
  },

  portalLink: {
    subject: (creditor: string) => `Votre lien d'accès à votre espace de paiement — ${creditor}`,
    title: "Votre lien d'accès",
    preview: "Votre nouveau lien d'accès sécurisé.",
    body: "Voici le nouveau lien d'accès à votre espace de paiement que vous avez demandé. Il vous permet de consulter vos factures, de payer, de demander un échéancier ou de signaler un problème.",
    notYou: "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer cet e-mail.",
  },

  paymentReceipt: {
    subject: {
      none: () => "Reçu de paiement",
      one: (number: string) => `Reçu de paiement — facture ${number}`,
      many: (count: number) => `Reçu de paiement — ${count} factures`,
    },
    title: "Reçu de paiement",
    preview: (amount: string) => `Nous avons bien reçu votre paiement de ${amount}. Merci\u00a0!`,
    body: (amount: string, date: string) => `Nous avons bien reçu votre paiement de ${amount} le ${date}. Merci\u00a0!`,
    keep: "Conservez cet e-mail\u00a0: il vaut reçu de paiement.",
    method: "Moyen de paiement",
    methods: {
      card: "Carte bancaire",
      sepa_debit: "Prélèvement SEPA",
      direct_debit: "Prélèvement bancaire",
      transfer: "Virement",
      other: "Paiement enregistré par nos services",
    },
    attached: "Le reçu de paiement (PDF) est joint à ce message\u00a0; il reste disponible dans votre espace.",
  },

  paymentFailed: {
    subject: "Votre paiement n'a pas abouti",
    title: "Paiement non abouti",
    preview: (amount: string) => `Votre paiement de ${amount} n'a pas abouti.`,
    body: (amount: string) => `Votre paiement de ${amount} n'a pas abouti.`,
    next: "Les factures concernées restent dues. Vous pouvez réessayer, avec le même moyen de paiement ou un autre, depuis votre espace.",
  },

  planConfirmation: {
    subject: "Votre échéancier est confirmé",
    title: "Échéancier confirmé",
    preview: (amount: string, count: number) => `Votre échéancier de ${amount} en ${count} échéances est confirmé.`,
    body: (amount: string, count: number) =>
      `Votre échéancier de ${amount} en ${count === 1 ? "1 échéance" : `${count} échéances`} est confirmé. Voici le calendrier des paiements\u00a0:`,
    terms:
      "Les relances sont suspendues tant que les échéances sont respectées ; un rappel vous sera envoyé quelques jours avant chacune d'elles. Une échéance manquée peut entraîner l'annulation de l'échéancier et la reprise des relances.",
  },

  planRejected: {
    subject: { counter: "Contre-proposition pour votre échéancier", rejected: "Votre proposition d'échéancier n'a pas été acceptée" },
    title: "Votre proposition d'échéancier",
    preview: "Réponse à votre proposition d'échéancier.",
    body: "Nous ne pouvons pas accepter votre proposition d'échéancier.",
    counter: "Nous vous proposons à la place l'échéancier ci-dessous, que vous pouvez accepter depuis votre espace\u00a0:",
    noCounter: "Les relances reprennent. Vous pouvez régler en une fois ou faire une nouvelle proposition depuis votre espace.",
  },

  disputeAnswer: {
    subject: (number: string) => `Facture ${number} : réponse à votre contestation`,
    title: "Réponse à votre contestation",
    preview: (number: string) => `Notre réponse à votre contestation de la facture ${number}.`,
    credit: (number: string) =>
      `Après examen de votre contestation concernant la facture ${number}, nous vous donnons raison\u00a0: la facture a été corrigée par un avoir.`,
    rejected: (number: string) => `Après examen de votre contestation concernant la facture ${number}, nous maintenons notre facture.`,
    answerHeading: (creditor: string) => `${creditor} vous répond\u00a0:`,
    creditNext: "Le montant restant dû, s'il y en a un, est à jour dans votre espace.",
    rejectedNext: "La facture reste due et les relances reprennent. Vous pouvez la régler ou demander un échéancier depuis votre espace.",
  },

  promiseConfirmation: {
    subject: "Promesse de paiement enregistrée",
    title: "Promesse de paiement enregistrée",
    preview: (amount: string, date: string) => `Engagement de régler ${amount} au plus tard le ${date}.`,
    body: (amount: string, date: string) => `Nous avons bien noté votre engagement de régler ${amount} au plus tard le ${date}.`,
    terms: "Les relances sont suspendues jusqu'à cette date. Si le paiement ne nous parvient pas, elles reprendront.",
  },

  disputeReceived: {
    subject: (number: string) => `Facture ${number}\u00a0: votre contestation est enregistrée`,
    title: "Contestation enregistrée",
    preview: (number: string) => `Nous avons bien reçu votre contestation de la facture ${number}.`,
    body: (number: string, date: string) => `Nous avons bien reçu votre contestation de la facture ${number}, le ${date}.`,
    next: (number: string) =>
      `Et maintenant\u00a0? Les relances de la facture ${number} sont suspendues dès aujourd'hui, jusqu'à notre réponse. Notre service comptable examine votre demande et vous répond par e-mail\u00a0; vos autres factures suivent leur cours.`,
    follow: "Vous pouvez suivre votre contestation depuis votre espace.",
  },

  planProposed: {
    subject: "Votre proposition d'échéancier est bien reçue",
    title: "Proposition d'échéancier reçue",
    preview: (amount: string, count: number) =>
      `Votre proposition\u00a0: ${amount} en ${count === 1 ? "1 échéance" : `${count} échéances`}.`,
    body: (amount: string, count: number) =>
      `Nous avons bien reçu votre proposition d'échéancier de ${amount} en ${count === 1 ? "1 échéance" : `${count} échéances`}\u00a0:`,
    next: "Et maintenant\u00a0? Notre service comptable l'examine et vous répond par e-mail. Pendant l'examen, les relances des factures concernées sont suspendues.",
    ifAccepted: (amount: string, date: string) => `Si elle est acceptée, la première échéance de ${amount} sera à régler le ${date}.`,
  },
};

export type EmailDictionary = typeof fr;
