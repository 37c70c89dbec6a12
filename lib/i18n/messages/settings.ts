// The "settings" messages: the Settings page's title and sections.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Settings",
  household: "Household",
};

const nl: TranslationOf<typeof en> = {
  title: "Instellingen",
  household: "Huishouden",
};

const de: TranslationOf<typeof en> = {
  title: "Einstellungen",
  household: "Haushalt",
};

const sv: TranslationOf<typeof en> = {
  title: "Inställningar",
  household: "Hushåll",
};

export const settingsMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
