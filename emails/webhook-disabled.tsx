import { Text } from "@react-email/components";
import { text } from "./_components/theme";
import { StaffFrame } from "./staff-frame";
import type { EmailLocale } from "./types";

export type WebhookDisabledProps = {
  locale: EmailLocale;
  name: string;
  creditorName: string;
  endpointUrl: string;
  /** Failed attempts in a row before it was switched off. */
  failures: number;
  lastError: string | null;
  /** The webhooks settings page. */
  actionUrl: string;
};

const COPY = {
  fr: {
    subject: "Webhook désactivé\u00a0: votre adresse ne répond plus",
    title: "Un webhook a été désactivé",
    preview: (url: string) => `relance n'envoie plus d'événements à ${url}.`,
    greeting: (name: string) => `Bonjour ${name},`,
    body: (url: string, n: number) =>
      `Votre adresse ${url} a refusé ou n'a pas reçu nos ${n} derniers envois, malgré nos nouvelles tentatives pendant plusieurs heures. Nous l'avons désactivée.`,
    lastError: (e: string) => `Dernière réponse\u00a0: ${e}`,
    next: "Corrigez le service qui reçoit les événements, puis réactivez l'adresse et renvoyez les événements manqués depuis le journal des envois.",
    cta: "Voir les webhooks",
  },
  en: {
    subject: "Webhook disabled: your endpoint stopped answering",
    title: "A webhook was disabled",
    preview: (url: string) => `relance no longer sends events to ${url}.`,
    greeting: (name: string) => `Hello ${name},`,
    body: (url: string, n: number) =>
      `Your endpoint ${url} refused or did not receive our last ${n} deliveries, although we kept retrying for several hours. We switched it off.`,
    lastError: (e: string) => `Last answer: ${e}`,
    next: "Fix the service that receives the events, then enable the endpoint again and resend the missed events from the delivery log.",
    cta: "See the webhooks",
  },
} satisfies Record<EmailLocale, unknown>;

/** To the creditor's owners when an outbound webhook endpoint is disabled after repeated failures. */
export default function WebhookDisabled(props: WebhookDisabledProps) {
  const copy = COPY[props.locale];
  return (
    <StaffFrame
      locale={props.locale}
      creditorName={props.creditorName}
      title={copy.title}
      preview={copy.preview(props.endpointUrl)}
      actionUrl={props.actionUrl}
      actionLabel={copy.cta}
    >
      <Text style={text.paragraph}>{copy.greeting(props.name)}</Text>
      <Text style={text.paragraph}>{copy.body(props.endpointUrl, props.failures)}</Text>
      {props.lastError ? <Text style={text.small}>{copy.lastError(props.lastError)}</Text> : null}
      <Text style={text.paragraph}>{copy.next}</Text>
    </StaffFrame>
  );
}

export function webhookDisabledSubject(props: WebhookDisabledProps): string {
  return COPY[props.locale].subject;
}

WebhookDisabled.PreviewProps = {
  locale: "fr",
  name: "Claire Durand",
  creditorName: "Atelier Durand",
  endpointUrl: "https://erp.example.com/hooks/relance",
  failures: 6,
  lastError: "HTTP 500",
  actionUrl: "http://localhost:3000/app/webhooks",
} satisfies WebhookDisabledProps;
