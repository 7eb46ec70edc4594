import { creditorName, dict } from "./_components/format";
import { Layout, Note, P } from "./_components/layout";
import { sampleBase } from "./_components/preview-data";
import type { BaseEmailProps } from "./types";

export type PortalLinkProps = BaseEmailProps;

/** A fresh magic link, sent when the debtor asks for one (expired link page). */
export default function PortalLink(props: PortalLinkProps) {
  const t = dict(props.locale);
  const copy = t.portalLink;
  return (
    <Layout
      locale={props.locale}
      creditor={props.creditor}
      title={copy.title}
      preview={copy.preview}
      salutation={t.layout.greeting(props.debtor.name)}
      portalUrl={props.portalUrl}
      ctaLabel={t.cta.pay}
      closing={<Note>{copy.notYou}</Note>}
    >
      <P>{copy.body}</P>
    </Layout>
  );
}

export function portalLinkSubject(props: PortalLinkProps): string {
  return dict(props.locale).portalLink.subject(creditorName(props.creditor));
}

PortalLink.PreviewProps = { ...sampleBase } satisfies PortalLinkProps;
