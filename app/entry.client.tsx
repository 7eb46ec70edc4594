import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { installWords } from "~/i18n";
import { PORTAL_WORDS } from "~/i18n/portal-words";

/** The debtor's pages: they carry only their own words (a phone on a slow network downloads them). */
const PORTAL_PATHS = /^\/(portal|p)(\/|$)/;

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

if (PORTAL_PATHS.test(window.location.pathname)) {
  installWords(PORTAL_WORDS);
  hydrate();
  // Leaving the portal in the browser (a link to another part of the site) would render words
  // these pages did not bring: such a navigation loads the page from the server instead.
  window.__remixRouter.subscribe(({ navigation }) => {
    if (navigation.state === "loading" && navigation.location && !PORTAL_PATHS.test(navigation.location.pathname)) {
      const { pathname, search, hash } = navigation.location;
      window.location.assign(pathname + search + hash);
    }
  });
} else {
  void import("~/i18n/all-words").then(({ fr, en }) => {
    installWords({ fr, en });
    hydrate();
  });
}
