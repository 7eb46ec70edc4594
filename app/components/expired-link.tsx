import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

export type ExpiredLinkBrand = { name: string; brandColor: string | null; contactEmail: string | null; contactPhone: string | null };

/**
 * The page a debtor meets when a link or a session has run out: in the
 * creditor's colours and name when known, with its contact and, when a link
 * can be renewed, the "send me a new link" button (a plain form).
 */
export function ExpiredLinkPage({
  brand,
  title,
  lead,
  heading,
  contactLabel,
  resend,
}: {
  brand: ExpiredLinkBrand | null;
  title: string;
  lead: string;
  heading: string | null;
  contactLabel: string | null;
  resend: ReactNode;
}) {
  const color = /^#[0-9a-f]{6}$/i.test(brand?.brandColor ?? "") ? brand!.brandColor! : undefined;
  return (
    <div style={color ? ({ "--brand": color } as React.CSSProperties) : undefined}>
      {brand ? (
        <header className="topbar">
          <div className="page">
            <span className="brand">
              <span className="brand-dot" aria-hidden="true" />
              {brand.name}
            </span>
          </div>
        </header>
      ) : null}
      <main id="main" className="page narrow stack">
        {heading ? <p className="muted">{heading}</p> : null}
        <h1>{title}</h1>
        <p>{lead}</p>
        {resend}
        {brand && contactLabel && (brand.contactEmail || brand.contactPhone) ? (
          <p className="muted">
            {contactLabel} {brand.contactEmail ? <a href={`mailto:${brand.contactEmail}`}>{brand.contactEmail}</a> : null}
            {brand.contactEmail && brand.contactPhone ? " · " : null}
            {brand.contactPhone ? <a href={`tel:${brand.contactPhone.replace(/[^\d+]/g, "")}`}>{brand.contactPhone}</a> : null}
          </p>
        ) : null}
      </main>
    </div>
  );
}

/** "Email me a new link": posts to the link's own address (rate-limited there). */
export function ResendLinkForm({ sent, busy, label, sentLabel }: { sent: boolean; busy: boolean; label: string; sentLabel: string }) {
  return sent ? (
    <p className="success" role="status">
      {sentLabel}
    </p>
  ) : (
    <Form method="post">
      <button type="submit" disabled={busy}>
        {label}
      </button>
    </Form>
  );
}
