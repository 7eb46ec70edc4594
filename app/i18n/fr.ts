/** French is the reference dictionary: every other language must provide the same keys. */
export const fr = {
  "app.name": "relance",
  "app.tagline": "Portail de paiement et relances clients",
  "nav.skip": "Aller au contenu",
  "nav.language": "Langue",
  "nav.portal": "Espace client",
  "nav.backoffice": "Espace créancier",
  "nav.inbox": "Boîte de réception",
  "nav.debtors": "Débiteurs",
  "nav.invoices": "Factures",
  "nav.kpis": "Indicateurs",
  "nav.policies": "Relances",
  "nav.settings": "Paramètres",
  "nav.logout": "Se déconnecter",
  "home.title": "Encaissez plus tôt, relancez avec tact",
  "home.lead":
    "relance envoie vos relances au bon moment et donne à vos clients un espace pour payer, demander un échéancier ou signaler un litige.",
  "home.portal": "Vous avez reçu une relance ? Ouvrez le lien de l'e-mail pour accéder à votre espace.",
  "home.staff": "Accès créancier",
  "health.ok": "ok",
  "error.title": "Une erreur est survenue",
  "error.notFound": "Page introuvable",
  "error.notFoundLead": "Cette page n'existe pas ou n'est plus disponible.",
  "error.generic": "Nous n'avons pas pu traiter votre demande. Réessayez dans un instant.",
  "error.back": "Retour à l'accueil",
  "portal.title": "Votre espace",
  "portal.owedTo": "Factures dues à {creditor}",
  "portal.signedOut": "Votre session a expiré. Ouvrez à nouveau le lien reçu par e-mail.",
  "staff.title": "Espace créancier",
  "staff.login": "Connexion",
} as const;

export type MessageKey = keyof typeof fr;
