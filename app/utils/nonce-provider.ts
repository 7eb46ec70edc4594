import { createContext, useContext } from "react";

/**
 * The request's CSP nonce (server.ts → load context → entry.server), read by
 * the document's <Scripts> and <ScrollRestoration>. Empty in the browser: the
 * attribute is only needed in the server-rendered HTML.
 */
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
