import { translate } from "../../app/i18n";
import { Body, Button, Container, Head, Heading, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { EmailCreditor, EmailLocale } from "../types";
import { creditorName, dict } from "./format";
import { brandPalette, colors, text } from "./theme";

export type LayoutProps = {
  locale: EmailLocale;
  creditor: EmailCreditor;
  /** Visible heading, also the document title. */
  title: string;
  /** Inbox preview line (hidden in the body, left out of the text part). */
  preview: string;
  /** First line of the letter ("Bonjour …,", "Madame, Monsieur,"); omitted when null. */
  salutation: string | null;
  portalUrl: string;
  ctaLabel: string;
  children: ReactNode;
  /** Rendered after the button, before the signature (closing formula, "already paid?"). */
  closing?: ReactNode;
  signature?: string;
};

/**
 * The frame every email shares: creditor brand, title, body, one button to
 * the magic link (and the link as text), signature, and the creditor's legal
 * identity in the footer. Inline styles only; one 600px column that narrows
 * on phones.
 */
export function Layout(props: LayoutProps) {
  const t = dict(props.locale).layout;
  const palette = brandPalette(props.creditor.brandColor);
  const name = creditorName(props.creditor);
  const c = props.creditor;
  const identity = [
    c.legalName,
    c.siren ? t.siren(c.siren) : null,
    c.rcsCity ? translate(props.locale, "legal.rcs", { city: c.rcsCity }) : null,
    c.address,
    c.vatNumber ? translate(props.locale, "legal.vat", { vat: c.vatNumber }) : null,
  ]
    .filter(Boolean)
    .join(" · ");
  const mediator = c.consumerMediator
    ? [c.consumerMediator.name, c.consumerMediator.url, c.consumerMediator.address].filter(Boolean).join(" · ")
    : null;
  // The phone is a tel: link: one tap from a phone to the creditor.
  const phoneHref = c.contactPhone ? `tel:${c.contactPhone.replace(/[^\d+]/g, "")}` : null;
  return (
    <Html lang={props.locale} dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
        <title>{props.title}</title>
      </Head>
      <Body style={{ backgroundColor: colors.page, margin: 0, padding: 0 }}>
        <Preview>{props.preview}</Preview>
        <Container
          style={{ maxWidth: "600px", width: "100%", margin: "0 auto", padding: "16px 8px", fontFamily: "Helvetica, Arial, sans-serif" }}
        >
          <Section
            style={{ backgroundColor: colors.card, borderTop: `6px solid ${palette.bar}`, borderRadius: "8px", padding: "20px 20px 8px" }}
          >
            {c.logoUrl ? (
              <Img
                src={c.logoUrl}
                alt=""
                height="48"
                style={{ display: "block", height: "48px", width: "auto", maxWidth: "240px", margin: "0 0 8px" }}
              />
            ) : null}
            <Text style={{ fontSize: "15px", lineHeight: "20px", fontWeight: 700, color: palette.link, margin: "0 0 12px" }}>{name}</Text>
            <Heading as="h1" style={{ fontSize: "22px", lineHeight: "28px", color: colors.text, margin: "0 0 20px" }}>
              {props.title}
            </Heading>
            {props.salutation ? <Text style={text.paragraph}>{props.salutation}</Text> : null}
            {props.children}
            <Section style={{ textAlign: "center", margin: "8px 0 20px" }}>
              <Button
                href={props.portalUrl}
                className="cta"
                style={{
                  backgroundColor: palette.button,
                  color: palette.onButton,
                  padding: "14px 32px",
                  borderRadius: "6px",
                  fontSize: "17px",
                  lineHeight: "20px",
                  fontWeight: 700,
                  textDecoration: "none",
                }}
              >
                {props.ctaLabel}
              </Button>
            </Section>
            <Text style={text.small} data-skip-in-text="true">
              {t.linkIntro}
              <br />
              <Link href={props.portalUrl} style={{ color: palette.link, textDecoration: "underline", wordBreak: "break-all" }}>
                {props.portalUrl}
              </Link>
            </Text>
            <Text style={text.small}>{t.linkPersonal}</Text>
            {props.closing}
            <Text style={{ ...text.paragraph, margin: "8px 0 16px" }}>{props.signature ?? t.signature(name)}</Text>
          </Section>
          <Section style={{ padding: "16px 12px 0" }}>
            <Text style={{ fontSize: "13px", lineHeight: "19px", color: colors.muted, margin: "0 0 6px" }}>
              {t.footerAbout(c.legalName)}
            </Text>
            <Text style={{ fontSize: "13px", lineHeight: "19px", color: colors.muted, margin: "0 0 6px" }}>{identity}</Text>
            {c.contactEmail || c.contactPhone ? (
              <Text style={{ fontSize: "13px", lineHeight: "19px", color: colors.muted, margin: 0 }}>
                {t.contact} {c.contactEmail}
                {c.contactEmail && c.contactPhone ? " · " : null}
                {phoneHref ? (
                  <Link href={phoneHref} style={{ color: palette.link }}>
                    {c.contactPhone}
                  </Link>
                ) : null}
              </Text>
            ) : null}
            {mediator ? (
              <Text
                style={{ fontSize: "13px", lineHeight: "19px", color: colors.muted, margin: "6px 0 0" }}
                data-testid="consumer-mediator"
              >
                {translate(props.locale, "mediation.mention", { mediator })}
              </Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** A paragraph of body copy. */
export function P({ children, strong = false }: { children: ReactNode; strong?: boolean }) {
  return <Text style={strong ? text.strong : text.paragraph}>{children}</Text>;
}

/** A secondary note (smaller, grey). */
export function Note({ children }: { children: ReactNode }) {
  return <Text style={text.small}>{children}</Text>;
}

/** Free text typed by staff: keep its line breaks. */
export function MultiLine({ value }: { value: string }) {
  const lines = value.trim().split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}
