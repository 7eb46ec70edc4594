import { isRouteErrorResponse, useRouteError, useRouteLoaderData, type ErrorResponse } from "@remix-run/react";
import type { ReactNode } from "react";
import { DEFAULT_LOCALE, isLocale, makeT, type Locale, type MessageKey } from "~/i18n";

type T = ReturnType<typeof makeT>;
export type StatusHandler = (info: { error: ErrorResponse; t: T }) => ReactNode;

/** What each status says; anything else (a 5xx, a thrown Error) gets the generic page. */
const messages: Record<number, { title: MessageKey; lead: MessageKey }> = {
  400: { title: "error.badRequest", lead: "error.badRequestLead" },
  403: { title: "error.forbidden", lead: "error.forbiddenLead" },
  404: { title: "error.notFound", lead: "error.notFoundLead" },
};

function Message({ t, title, lead }: { t: T; title: MessageKey; lead: MessageKey }) {
  return (
    <>
      <h1>{t(title)}</h1>
      <p>{t(lead)}</p>
    </>
  );
}

/**
 * The one error page, used by the root and by each face (portal, back-office) with a way back home for
 * that face. Status handlers may replace the wording for a status; the error's own message is never shown
 * (it may carry internal details, and it is not in the user's language). The link is a plain anchor: after
 * an error a full page load starts from a clean state, and it works without JavaScript.
 */
export function GeneralErrorBoundary({
  home,
  statusHandlers,
}: {
  home: { to: string; label: MessageKey };
  statusHandlers?: Record<number, StatusHandler>;
}) {
  const error = useRouteError();
  const rootData = useRouteLoaderData<{ locale?: unknown }>("root");
  const locale: Locale = isLocale(rootData?.locale) ? rootData.locale : DEFAULT_LOCALE;
  const t = makeT(locale);

  let body: ReactNode;
  if (isRouteErrorResponse(error)) {
    const custom = statusHandlers?.[error.status];
    const known = messages[error.status];
    body = custom ? (
      custom({ error, t })
    ) : known ? (
      <Message t={t} {...known} />
    ) : (
      <Message t={t} title="error.title" lead="error.generic" />
    );
  } else {
    body = <Message t={t} title="error.title" lead="error.generic" />;
  }

  return (
    <main id="main" className="page narrow">
      {body}
      <p>
        <a href={home.to}>{t(home.label)}</a>
      </p>
    </main>
  );
}
