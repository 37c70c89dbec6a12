// The "modes" messages: Settings → Modes (Home, Away, Night; per camera armed and notify; schedule) and the mode switcher.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  nav: "Modes",
};

const nl: TranslationOf<typeof en> = {
  nav: "Modi",
};

const de: TranslationOf<typeof en> = {
  nav: "Modi",
};

const sv: TranslationOf<typeof en> = {
  nav: "Lägen",
};

export const modesMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
