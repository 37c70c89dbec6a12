// The "notFound" messages: the page shown for an unknown address.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Page not found",
  text: "There is nothing at this address.",
};

const nl: TranslationOf<typeof en> = {
  title: "Pagina niet gevonden",
  text: "Er is niets op dit adres.",
};

const de: TranslationOf<typeof en> = {
  title: "Seite nicht gefunden",
  text: "Unter dieser Adresse gibt es nichts.",
};

const sv: TranslationOf<typeof en> = {
  title: "Sidan hittades inte",
  text: "Det finns inget på den här adressen.",
};

export const notFoundMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
