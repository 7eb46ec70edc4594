import { Text } from "@react-email/components";
import { formatDate } from "./_components/format";
import { text } from "./_components/theme";
import { StaffFrame } from "./staff-frame";
import type { EmailLocale } from "./types";

export type SignupVerificationProps = {
  locale: EmailLocale;
  name: string;
  /** The company being signed up. */
  creditorName: string;
  expiresAt: Date;
  /** The single-use confirmation link (/signup/verify/$token). */
  actionUrl: string;
};

const COPY = {
  fr: {
    subject: (creditor: string) => `Confirmez votre adresse pour ouvrir l'espace relance de ${creditor}`,
    title: "Confirmez votre adresse e-mail",
    preview: (creditor: string) => `Un clic pour ouvrir l'espace de recouvrement de ${creditor}.`,
    hello: (name: string) => `Bonjour ${name},`,
    body: (creditor: string) =>
      `Vous avez demandé à ouvrir l'espace de recouvrement de ${creditor} sur relance. Confirmez votre adresse e-mail pour l'activer.`,
    cta: "Confirmer mon adresse",
    validity: (date: string) => `Ce lien ne sert qu'une fois et expire le ${date}.`,
    ignore: "Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : aucun compte ne sera créé.",
  },
  en: {
    subject: (creditor: string) => `Confirm your address to open ${creditor}'s relance workspace`,
    title: "Confirm your email address",
    preview: (creditor: string) => `One click to open ${creditor}'s collections workspace.`,
    hello: (name: string) => `Hello ${name},`,
    body: (creditor: string) =>
      `You asked to open ${creditor}'s collections workspace on relance. Confirm your email address to activate it.`,
    cta: "Confirm my address",
    validity: (date: string) => `This link works once and expires on ${date}.`,
    ignore: "If you did not ask for this, ignore this email: no account will be created.",
  },
} satisfies Record<EmailLocale, unknown>;

/** Sent by self-service sign-up: the account exists only once this link is confirmed. */
export default function SignupVerification(props: SignupVerificationProps) {
  const copy = COPY[props.locale];
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
      <Text style={text.paragraph}>{copy.hello(props.name)}</Text>
      <Text style={text.paragraph}>{copy.body(props.creditorName)}</Text>
      <Text style={text.paragraph}>{copy.validity(formatDate(props.expiresAt, props.locale))}</Text>
    </StaffFrame>
  );
}

export function signupVerificationSubject(props: SignupVerificationProps): string {
  return COPY[props.locale].subject(props.creditorName);
}

SignupVerification.PreviewProps = {
  locale: "fr",
  name: "Claire Durand",
  creditorName: "Atelier Durand",
  expiresAt: new Date("2026-12-02"),
  actionUrl: "http://localhost:3000/signup/verify/preview-token",
} satisfies SignupVerificationProps;
