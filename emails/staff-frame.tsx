import { Body, Button, Container, Head, Heading, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { colors, text } from "./_components/theme";
import type { EmailLocale } from "./types";

/**
 * The frame of the emails relance sends to creditor staff (invitation, reset
 * code): relance's own colours, one button, the link as text. Debtor emails
 * use `_components/layout.tsx`, which speaks for the creditor instead.
 */
const COPY = {
  fr: {
    linkIntro: "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:",
    footer: (creditor: string) => `Message automatique de relance, l'outil de recouvrement de ${creditor}. Ne répondez pas à cet e-mail.`,
  },
  en: {
    linkIntro: "If the button does not work, copy this link into your browser:",
    footer: (creditor: string) =>
      `Automatic message from relance, the collections tool used by ${creditor}. Please do not reply to this email.`,
  },
} satisfies Record<EmailLocale, unknown>;

export type StaffFrameProps = {
  locale: EmailLocale;
  creditorName: string;
  title: string;
  preview: string;
  actionUrl: string;
  actionLabel: string;
  children: ReactNode;
  closing?: ReactNode;
};

export function StaffFrame(props: StaffFrameProps) {
  const copy = COPY[props.locale];
  return (
    <Html lang={props.locale} dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{props.title}</title>
      </Head>
      <Body style={{ backgroundColor: colors.page, margin: 0, padding: 0 }}>
        <Preview>{props.preview}</Preview>
        <Container
          style={{ maxWidth: "600px", width: "100%", margin: "0 auto", padding: "16px 8px", fontFamily: "Helvetica, Arial, sans-serif" }}
        >
          <Section
            style={{
              backgroundColor: colors.card,
              borderTop: `6px solid ${colors.fallbackBrand}`,
              borderRadius: "8px",
              padding: "20px 20px 8px",
            }}
          >
            <Text style={{ fontSize: "15px", lineHeight: "20px", fontWeight: 700, color: colors.fallbackBrand, margin: "0 0 12px" }}>
              relance · {props.creditorName}
            </Text>
            <Heading as="h1" style={{ fontSize: "22px", lineHeight: "28px", color: colors.text, margin: "0 0 20px" }}>
              {props.title}
            </Heading>
            {props.children}
            <Section style={{ textAlign: "center", margin: "8px 0 20px" }}>
              <Button
                href={props.actionUrl}
                className="cta"
                style={{
                  backgroundColor: colors.fallbackBrand,
                  color: "#ffffff",
                  padding: "14px 32px",
                  borderRadius: "6px",
                  fontSize: "17px",
                  lineHeight: "20px",
                  fontWeight: 700,
                  textDecoration: "none",
                }}
              >
                {props.actionLabel}
              </Button>
            </Section>
            <Text style={text.small} data-skip-in-text="true">
              {copy.linkIntro}
              <br />
              <Link href={props.actionUrl} style={{ color: colors.fallbackBrand, textDecoration: "underline", wordBreak: "break-all" }}>
                {props.actionUrl}
              </Link>
            </Text>
            {props.closing}
          </Section>
          <Section style={{ padding: "16px 12px 0" }}>
            <Text style={{ fontSize: "13px", lineHeight: "19px", color: colors.muted, margin: 0 }}>{copy.footer(props.creditorName)}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}
