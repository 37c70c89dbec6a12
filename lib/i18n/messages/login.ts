// The "login" messages: the sign-in page.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Sign in to Nightjar",
  login: "E-mail or username",
  submit: "Sign in",
  submitting: "Signing in…",
  signedOutEverywhere: "You were signed out. Please sign in again.",
};

const nl: TranslationOf<typeof en> = {
  title: "Inloggen bij Nightjar",
  login: "E-mail of gebruikersnaam",
  submit: "Inloggen",
  submitting: "Inloggen…",
  signedOutEverywhere: "Je bent uitgelogd. Log opnieuw in.",
};

const de: TranslationOf<typeof en> = {
  title: "Bei Nightjar anmelden",
  login: "E-Mail oder Benutzername",
  submit: "Anmelden",
  submitting: "Anmeldung läuft…",
  signedOutEverywhere: "Du wurdest abgemeldet. Bitte melde dich erneut an.",
};

const sv: TranslationOf<typeof en> = {
  title: "Logga in på Nightjar",
  login: "E-post eller användarnamn",
  submit: "Logga in",
  submitting: "Loggar in…",
  signedOutEverywhere: "Du har loggats ut. Logga in igen.",
};

export const loginMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
