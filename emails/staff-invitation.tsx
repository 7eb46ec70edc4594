import { Text } from "@react-email/components";
import { formatDate } from "./_components/format";
import { text } from "./_components/theme";
import { StaffFrame } from "./staff-frame";
import type { EmailLocale } from "./types";

export type StaffRoleName = "OWNER" | "AGENT" | "VIEWER";

export type StaffInvitationProps = {
  locale: EmailLocale;
  inviterName: string;
  creditorName: string;
  role: StaffRoleName;
  expiresAt: Date;
  /** The single-use acceptance link. */
  actionUrl: string;
};

const COPY = {
  fr: {
    subject: (inviter: string, creditor: string) => `${inviter} vous invite à rejoindre ${creditor} sur relance`,
    title: "Invitation à rejoindre l'équipe",
    preview: (creditor: string) => `Créez votre accès au recouvrement de ${creditor}.`,
    body: (inviter: string, creditor: string) => `${inviter} vous invite à rejoindre l'espace de recouvrement de ${creditor} sur relance.`,
    role: (role: string) => `Votre rôle\u00a0: ${role}.`,
    roles: {
      OWNER: "propriétaire (tous les droits, dont l'équipe et les paramètres)",
      AGENT: "agent (traite les relances, litiges et paiements)",
      VIEWER: "lecture seule",
    },
    cta: "Accepter l'invitation",
    validity: (date: string) => `Ce lien ne sert qu'une fois et expire le ${date}.`,
    ignore: "Si vous ne vous attendiez pas à cette invitation, ignorez simplement cet e-mail.",
  },
  en: {
    subject: (inviter: string, creditor: string) => `${inviter} invited you to join ${creditor} on relance`,
    title: "Invitation to join the team",
    preview: (creditor: string) => `Set up your access to ${creditor}'s collections.`,
    body: (inviter: string, creditor: string) => `${inviter} invited you to join ${creditor}'s collections workspace on relance.`,
    role: (role: string) => `Your role: ${role}.`,
    roles: {
      OWNER: "owner (full access, including the team and settings)",
      AGENT: "agent (handles reminders, disputes and payments)",
      VIEWER: "read-only",
    },
    cta: "Accept the invitation",
    validity: (date: string) => `This link works once and expires on ${date}.`,
    ignore: "If you were not expecting this invitation, simply ignore this email.",
  },
} satisfies Record<EmailLocale, unknown>;

/** Sent when an owner invites a colleague: the link leads to /invitations/$token. */
export default function StaffInvitation(props: StaffInvitationProps) {
  const copy = COPY[props.locale];
  const inviter = props.inviterName || props.creditorName;
  return (
    <StaffFrame
      locale={props.locale}
      creditorName={props.creditorName}
      title={copy.title}
      preview={copy.preview(props.creditorName)}
      actionUrl={props.actionUrl}
      actionLabel={copy.cta}
      closing={<Text style={text.small}>{copy.ignore}</Text>}
    >
      <Text style={text.paragraph}>{copy.body(inviter, props.creditorName)}</Text>
      <Text style={text.paragraph}>{copy.role(copy.roles[props.role])}</Text>
      <Text style={text.paragraph}>{copy.validity(formatDate(props.expiresAt, props.locale))}</Text>
    </StaffFrame>
  );
}

export function staffInvitationSubject(props: StaffInvitationProps): string {
  return COPY[props.locale].subject(props.inviterName || props.creditorName, props.creditorName);
}

StaffInvitation.PreviewProps = {
  locale: "fr",
  inviterName: "Claire Durand",
  creditorName: "Atelier Durand",
  role: "AGENT",
  expiresAt: new Date("2026-12-02"),
  actionUrl: "http://localhost:3000/invitations/preview-token",
} satisfies StaffInvitationProps;
