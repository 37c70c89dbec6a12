// The language of the current request (web only): the viewer's profile, the signed-out language cookie, the browser.
// In lib/http (the web layer) because it needs the session: lib/i18n stays free of auth.
import { cookies, headers } from "next/headers";
import { getViewer } from "../auth/session";
import { LOCALE_COOKIE, resolveLocale, type Locale } from "../i18n/locales";
import { translator, type Translator } from "../i18n/translate";

export async function getRequestLocale(): Promise<Locale> {
  const [viewer, jar, h] = await Promise.all([getViewer(), cookies(), headers()]);
  return resolveLocale({ profile: viewer?.locale, cookie: jar.get(LOCALE_COOKIE)?.value, acceptLanguage: h.get("accept-language") });
}

export async function getT(): Promise<Translator> {
  return translator(await getRequestLocale());
}
