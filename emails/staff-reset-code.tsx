import { Text } from "@react-email/components";
import { colors, text } from "./_components/theme";
import { StaffFrame } from "./staff-frame";
import type { EmailLocale } from "./types";

export type StaffResetCodeProps = {
  locale: EmailLocale;
  name: string;
  creditorName: string;
  /** Six digits, shown once; only its keyed hash is stored. */
  code: string;
  validMinutes: number;
  /** The reset page (the code is typed there, never carried in the link). */
  actionUrl: string;
};

const COPY = {
  fr: {
    subject: "Votre code pour choisir un nouveau mot de passe relance",
    title: "Réinitialisation du mot de passe",
    preview: (minutes: number) => `Votre code est valable ${minutes} minutes.`,
    greeting: (name: string) => `Bonjour ${name},`,
    intro: "Voici le code pour choisir un nouveau mot de passe\u00a0:",
    validity: (minutes: number) =>
      `Il est valable ${minutes} minutes et cinq essais. Saisissez-le sur la page de réinitialisation avec votre nouveau mot de passe.`,
    cta: "Choisir un nouveau mot de passe",
    ignore:
      "Vous n'avez rien demandé\u00a0? Ignorez cet e-mail\u00a0: votre mot de passe ne change pas. Ne communiquez ce code à personne.",
  },
  en: {
    subject: "Your code to choose a new relance password",
    title: "Password reset",
    preview: (minutes: number) => `Your code is valid for ${minutes} minutes.`,
    greeting: (name: string) => `Hello ${name},`,
    intro: "Here is the code to choose a new password:",
    validity: (minutes: number) =>
      `It is valid for ${minutes} minutes and five tries. Enter it on the reset page together with your new password.`,
    cta: "Choose a new password",
    ignore: "Did not ask for this? Ignore this email: your password stays the same. Never share this code.",
  },
} satisfies Record<EmailLocale, unknown>;

/** The code of /forgot-password, typed on /reset-password. */
export default function StaffResetCode(props: StaffResetCodeProps) {
  const copy = COPY[props.locale];
  return (
    <StaffFrame
      locale={props.locale}
      creditorName={props.creditorName}
      title={copy.title}
      preview={copy.preview(props.validMinutes)}
      actionUrl={props.actionUrl}
      actionLabel={copy.cta}
      closing={<Text style={text.small}>{copy.ignore}</Text>}
    >
      <Text style={text.paragraph}>{copy.greeting(props.name)}</Text>
      <Text style={text.paragraph}>{copy.intro}</Text>
      <Text
        style={{
          fontSize: "30px",
          lineHeight: "36px",
          fontWeight: 700,
          letterSpacing: "6px",
          textAlign: "center",
          color: colors.text,
          margin: "0 0 16px",
        }}
      >
        {props.code}
      </Text>
      <Text style={text.paragraph}>{copy.validity(props.validMinutes)}</Text>
    </StaffFrame>
  );
}

export function staffResetCodeSubject(props: StaffResetCodeProps): string {
  return COPY[props.locale].subject;
}

StaffResetCode.PreviewProps = {
  locale: "fr",
  name: "Claire Durand",
  creditorName: "Atelier Durand",
  code: "042917",
  validMinutes: 15,
  actionUrl: "http://localhost:3000/reset-password?email=owner%40atelier-durand.test",
} satisfies StaffResetCodeProps;
