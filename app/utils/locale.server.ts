import { createCookie } from "@remix-run/node";
import { isLocale, negotiateLocale, type Locale } from "~/i18n";

export const localeCookie = createCookie("lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export async function getLocale(request: Request): Promise<Locale> {
  const chosen = await localeCookie.parse(request.headers.get("Cookie"));
  return negotiateLocale(isLocale(chosen) ? chosen : null, request.headers.get("Accept-Language"));
}

/** Only same-site relative paths may be redirect targets. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
