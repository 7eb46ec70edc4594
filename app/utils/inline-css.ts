import { createContext, useContext } from "react";

/**
 * A stylesheet's text by its built URL, on the server only (entry.server reads the
 * file once). A page that ships no JavaScript (utils/hydration) carries its CSS in a
 * <style> element: a phone on a slow network saves the round trip the <link> costs
 * before the first paint. Null in the browser, where pages keep the <link>.
 */
const InlineCssContext = createContext<((href: string) => string | null) | null>(null);

export const InlineCssProvider = InlineCssContext.Provider;
export const useInlineCss = () => useContext(InlineCssContext);
