// The "push" messages: browser push (subscribe on this device, the list of devices), the installable app and its offline page.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  nav: "Push",
};

const nl: TranslationOf<typeof en> = {
  nav: "Push",
};

const de: TranslationOf<typeof en> = {
  nav: "Push",
};

const sv: TranslationOf<typeof en> = {
  nav: "Push",
};

export const pushMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
