import { dict, withCreditor } from "./_components/format";
import { Layout, MultiLine, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import { DetailsTable, ScheduleTable } from "./_components/tables";
import type { BaseEmailProps, EmailInstallment } from "./types";

export type PlanRejectedProps = BaseEmailProps & {
  /** The creditor's reason, shown as written. */
  reason: string;
  currency: string;
  /** The creditor's own schedule, which the debtor can accept in the portal. */
  counterOffer?: EmailInstallment[] | null;
};

/** The debtor's installment plan is refused, with the reason and, maybe, a counter-offer. */
export default function PlanRejected(props: PlanRejectedProps) {
  const t = dict(props.locale);
  const copy = t.planRejected;
  const counter = props.counterOffer?.length ? props.counterOffer : null;
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
    >
      <P>{copy.body}</P>
      <DetailsTable rows={[[t.details.reason, <MultiLine value={props.reason} />]]} />
      {counter ? (
        <>
          <P>{copy.counter}</P>
          <ScheduleTable installments={counter} currency={props.currency} locale={props.locale} />
        </>
      ) : (
        <P>{copy.noCounter}</P>
      )}
    </Layout>
  );
}

export function planRejectedSubject(props: PlanRejectedProps): string {
  const s = dict(props.locale).planRejected.subject;
  return withCreditor(props.counterOffer?.length ? s.counter : s.rejected, props.creditor);
}

PlanRejected.PreviewProps = {
  ...sampleBase,
  reason: "Une durée de 12 mois dépasse ce que nous pouvons accorder.",
  currency: "EUR",
  counterOffer: [
    { dueDate: new Date("2026-12-10"), amount: 216_728 },
    { dueDate: new Date("2027-01-10"), amount: 216_728 },
  ],
} satisfies PlanRejectedProps;
