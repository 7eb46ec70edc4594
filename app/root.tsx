import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { makeT, type Locale } from "~/i18n";
import styles from "~/styles/app.css";
import { getLocale } from "~/utils/locale.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "relance" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

export function useRootLocale(): Locale {
  return useRouteLoaderData<typeof loader>("root")?.locale ?? "fr";
}

function Document({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {makeT(locale)("nav.skip")}
        </a>
        {children}
        <ScrollRestoration />
        <Scripts />
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
  const error = useRouteError();
  const locale = useRootLocale();
  const t = makeT(locale);
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Document locale={locale}>
      <main id="main" className="page narrow">
        <h1>{notFound ? t("error.notFound") : t("error.title")}</h1>
        <p>{notFound ? t("error.notFoundLead") : t("error.generic")}</p>
        <p>
          <a href="/">{t("error.back")}</a>
        </p>
      </main>
    </Document>
  );
}
