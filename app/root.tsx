import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useMatches, useRouteLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { makeT, type Locale } from "~/i18n";
import styles from "~/styles/app.css";
import { shouldHydrate } from "~/utils/hydration";
import { getLocale } from "~/utils/locale.server";
import { useInlineCss } from "~/utils/inline-css";
import { useNonce } from "~/utils/nonce-provider";

// The stylesheet is written by the document itself: inline on pages that ship no JavaScript.
export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export const meta: MetaFunction = () => [{ title: "relance" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

export function useRootLocale(): Locale {
  return useRouteLoaderData<typeof loader>("root")?.locale ?? "fr";
}

function Document({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  const nonce = useNonce();
  // A page that needs no JavaScript ships none (utils/hydration): no runtime, no loader data.
  const hydrate = shouldHydrate(useMatches());
  const readCss = useInlineCss();
  const inlineCss = hydrate ? null : (readCss?.(styles) ?? null);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <Meta />
        {inlineCss ? <style dangerouslySetInnerHTML={{ __html: inlineCss }} /> : <link rel="stylesheet" href={styles} />}
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {makeT(locale)("nav.skip")}
        </a>
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <Document locale={locale}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  return (
    <Document locale={useRootLocale()}>
      <GeneralErrorBoundary home={{ to: "/", label: "error.back" }} />
    </Document>
  );
}
