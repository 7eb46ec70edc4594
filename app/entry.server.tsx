import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { InlineCssProvider } from "./utils/inline-css";
import { NonceProvider } from "./utils/nonce-provider";

const ABORT_DELAY = 5_000;

/** The built stylesheets' text, read once each (their URL carries a content hash): public/ beside build/. */
const stylesheets = new Map<string, string | null>();
const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../public");
function stylesheetText(href: string): string | null {
  if (!stylesheets.has(href)) {
    const file = path.resolve(publicDir, `.${href}`);
    let text: string | null = null;
    if (file.startsWith(publicDir + path.sep) && file.endsWith(".css")) {
      try {
        text = fs.readFileSync(file, "utf8");
      } catch {
        text = null; // not built beside this server (tests): the page keeps its <link>
      }
    }
    stylesheets.set(href, text);
  }
  return stylesheets.get(href) ?? null;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const bot = isbot(request.headers.get("user-agent") ?? "");
  // server.ts puts the nonce its Content-Security-Policy allows in the load context.
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : undefined;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <InlineCssProvider value={stylesheetText}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </InlineCssProvider>
      </NonceProvider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
