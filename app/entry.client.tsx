import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode, useEffect } from "react";
import { hydrateRoot } from "react-dom/client";
import { installWords } from "~/i18n";

/** The debtor's pages: they carry only their own words (a phone on a slow network downloads them). */
const PORTAL_PATHS = /^\/(portal|p)(\/|$)/;

function hydrate(guard?: () => void) {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
        {guard ? <AfterHydration run={guard} /> : null}
      </StrictMode>,
    );
  });
}

/** Runs once the router exists (RemixBrowser creates it on its first render). */
function AfterHydration({ run }: { run: () => void }) {
  useEffect(run, [run]);
  return null;
}

// Leaving the portal in the browser (a link to another part of the site) would render words
// these pages did not bring: such a navigation loads the page from the server instead.
function leaveThePortalByDocument() {
  return window.__remixRouter.subscribe(({ navigation }) => {
    if (navigation.state === "loading" && !PORTAL_PATHS.test(navigation.location.pathname)) {
      const { pathname, search, hash } = navigation.location;
      window.location.assign(pathname + search + hash);
    }
  });
}

if (PORTAL_PATHS.test(window.location.pathname)) {
  // One language: the language switcher reloads the page.
  const english = document.documentElement.lang === "en";
  void (english ? import("~/i18n/portal-words.en") : import("~/i18n/portal-words.fr")).then(({ words }) => {
    installWords({ [english ? "en" : "fr"]: words });
    hydrate(leaveThePortalByDocument);
  });
} else {
  void import("~/i18n/all-words").then(({ fr, en }) => {
    installWords({ fr, en });
    hydrate();
  });
}
