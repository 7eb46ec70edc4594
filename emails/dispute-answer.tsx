import { Section, Text } from "@react-email/components";
import { creditorName, dict, withCreditor } from "./_components/format";
import { Layout, MultiLine, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { colors } from "./_components/theme";
import type { BaseEmailProps } from "./types";

export type DisputeAnswerProps = BaseEmailProps & {
  invoiceNumber: string;
  /** The creditor's answer, shown as written. */
  answer: string;
  outcome: "CREDIT" | "REJECTED";
};

/** The creditor's answer to a dispute: credited (invoice corrected) or rejected (reminders resume). */
export default function DisputeAnswer(props: DisputeAnswerProps) {
  const t = dict(props.locale);
  const copy = t.disputeAnswer;
  const credited = props.outcome === "CREDIT";
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview(props.invoiceNumber)}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={credited ? t.cta.open : t.cta.pay}
    >
      <P>{credited ? copy.credit(props.invoiceNumber) : copy.rejected(props.invoiceNumber)}</P>
      <Section style={{ borderLeft: `4px solid ${colors.border}`, padding: "0 0 0 14px", margin: "0 0 20px" }}>
        <Text style={{ fontSize: "14px", lineHeight: "20px", fontWeight: 700, color: colors.muted, margin: "0 0 4px" }}>
          {copy.answerHeading(creditorName(props.creditor))}
        </Text>
        <Text style={{ fontSize: "16px", lineHeight: "24px", color: colors.text, margin: 0 }}>
          <MultiLine value={props.answer} />
        </Text>
      </Section>
      <P>{credited ? copy.creditNext : copy.rejectedNext}</P>
    </Layout>
  );
}

export function disputeAnswerSubject(props: DisputeAnswerProps): string {
  return withCreditor(dict(props.locale).disputeAnswer.subject(props.invoiceNumber), props.creditor);
}

DisputeAnswer.PreviewProps = {
  ...sampleBase,
  invoiceNumber: "F-2026-0104",
  answer:
    "Le bon de livraison du 2 octobre a été signé par votre responsable de magasin, sans réserve.\nVous le trouverez en pièce jointe dans votre espace.",
  outcome: "REJECTED",
} satisfies DisputeAnswerProps;
