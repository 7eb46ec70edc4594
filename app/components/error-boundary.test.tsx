import { Outlet } from "@remix-run/react";
import { renderToString } from "react-dom/server";
// The router Remix itself is built on (the version @remix-run/react pins): its static handler runs the
// loaders of a request and hands their errors to the nearest ErrorBoundary, as the Remix server does.
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import type { Locale } from "~/i18n";
import { ErrorBoundary as BackOfficeBoundary } from "~/routes/app";
import { ErrorBoundary as PortalBoundary } from "~/routes/portal";

type Face = { path: "portal" | "app"; id: string; boundary: () => JSX.Element };
const portal: Face = { path: "portal", id: "routes/portal", boundary: PortalBoundary };
const backOffice: Face = { path: "app", id: "routes/app", boundary: BackOfficeBoundary };

/** Renders /<face>/page, whose loader (or the layout's) throws `thrown`, under a root that chose `locale`. */
async function render(face: Face, locale: Locale, thrown: unknown, where: "page" | "layout" = "page") {
  const fail = () => {
    throw thrown;
  };
  const routes = [
    {
      id: "root",
      path: "/",
      loader: () => ({ locale }),
      Component: Outlet,
      children: [
        {
          id: face.id,
          path: face.path,
          loader: where === "layout" ? fail : () => null,
          Component: () => (
            <div>
              layout <Outlet />
            </div>
          ),
          ErrorBoundary: face.boundary,
          children: [{ id: "page", path: "page", loader: where === "page" ? fail : () => null, Component: () => <p>page content</p> }],
        },
      ],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost/${face.path}/page`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  return renderToString(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />,
  );
}

const notFound = () => new Response("Invoice inv_123 not found for debtor d_9", { status: 404 });

describe("error boundaries of the two faces", () => {
  it("portal: a missing page says so in English, with a link back to the debtor's invoices", async () => {
    const html = await render(portal, "en", notFound());
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain('<a href="/portal">Back to my invoices</a>');
    expect(html).not.toContain("page content");
    expect(html).not.toContain("inv_123");
  });

  it("portal: an unexpected failure shows the generic page in French, never the error's message", async () => {
    const html = await render(portal, "fr", new Error("connect ECONNREFUSED 10.0.0.7:5432"));
    expect(html).toContain("<h1>Une erreur est survenue</h1>");
    expect(html).toContain("Réessayez dans un instant");
    expect(html).toContain('<a href="/portal">Retour à mes factures</a>');
    expect(html).not.toContain("ECONNREFUSED");
    expect(html).not.toContain("Page introuvable");
  });

  it("portal: a 500 response gets the generic wording, not the not-found one", async () => {
    const html = await render(portal, "en", new Response("boom", { status: 500 }));
    expect(html).toContain("<h1>Something went wrong</h1>");
    expect(html).not.toContain("Page not found");
    expect(html).not.toContain("boom");
  });

  it("back-office: a missing page in French links back to the inbox", async () => {
    const html = await render(backOffice, "fr", notFound());
    expect(html).toContain("<h1>Page introuvable</h1>");
    expect(html).toContain("Cette page n&#x27;existe pas ou n&#x27;est plus disponible.");
    expect(html).toContain('<a href="/app">Retour à la boîte de réception</a>');
  });

  it("back-office: the layout's own loader failing with 403 is caught by the same boundary", async () => {
    const html = await render(backOffice, "en", new Response(null, { status: 403 }), "layout");
    expect(html).toContain("<h1>Access denied</h1>");
    expect(html).toContain('<a href="/app">Back to the inbox</a>');
    expect(html).not.toContain("layout");
  });
});
