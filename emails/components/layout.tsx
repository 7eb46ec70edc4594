import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { dict, fill, type EmailLocale } from "./format";

export type EmailCreditor = {
  legalName: string;
  brandName?: string | null;
  brandColor?: string | null;
  siren?: string | null;
  address?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
};

const safeColor = (c?: string | null) => (c && /^#[0-9a-f]{6}$/i.test(c) ? c : "#1d4ed8");

/** The frame every email shares: brand, greeting, call to action, legal footer. */
export function Layout(props: {
  locale: EmailLocale;
  creditor: EmailCreditor;
  debtorName: string;
  preview: string;
  portalUrl?: string;
  children: ReactNode;
}) {
  const t = dict(props.locale);
  const name = props.creditor.brandName ?? props.creditor.legalName;
  const color = safeColor(props.creditor.brandColor);
  return (
    <Html lang={props.locale}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: "#f4f5f7", fontFamily: "Helvetica, Arial, sans-serif", color: "#111827", margin: 0 }}>
        <Container style={{ maxWidth: "600px", margin: "0 auto", padding: "24px 16px" }}>
          <Text style={{ fontSize: "18px", fontWeight: 700, color, margin: "0 0 16px" }}>{name}</Text>
          <Section style={{ backgroundColor: "#ffffff", borderRadius: "8px", padding: "24px" }}>
            <Text style={{ fontSize: "16px", margin: "0 0 12px" }}>{fill(t.greeting, { name: props.debtorName })}</Text>
            {props.children}
            {props.portalUrl ? (
              <>
                <Section style={{ textAlign: "center", margin: "24px 0" }}>
                  <Button
                    href={props.portalUrl}
                    style={{ backgroundColor: color, color: "#ffffff", padding: "14px 28px", borderRadius: "6px", fontSize: "16px", fontWeight: 700, textDecoration: "none" }}
                  >
                    {t.viewAndPay}
                  </Button>
                </Section>
                <Text style={{ fontSize: "13px", color: "#4b5563" }}>
                  {t.linkFallback}
                  <br />
                  <Link href={props.portalUrl} style={{ color, wordBreak: "break-all" }}>
                    {props.portalUrl}
                  </Link>
                </Text>
              </>
            ) : null}
            <Text style={{ fontSize: "15px", margin: "16px 0 0" }}>{fill(t.signature, { creditor: props.creditor.legalName })}</Text>
          </Section>
          <Hr style={{ borderColor: "#d1d5db", margin: "24px 0 12px" }} />
          <Text style={{ fontSize: "12px", color: "#4b5563", lineHeight: "18px" }}>
            {fill(t.footerAbout, { creditor: props.creditor.legalName })}
            <br />
            {[props.creditor.legalName, props.creditor.siren ? fill(t.footerSiren, { siren: props.creditor.siren }) : null, props.creditor.address]
              .filter(Boolean)
              .join(" · ")}
            <br />
            {[props.creditor.contactEmail, props.creditor.contactPhone].filter(Boolean).join(" · ")}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
