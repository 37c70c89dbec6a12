// The "notifications" messages: the notification centre, Account → Notifications (preferences, delivery log) and Settings → E-mail (SMTP).
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  nav: "Notifications",
  emailNav: "E-mail",
};

const nl: TranslationOf<typeof en> = {
  nav: "Meldingen",
  emailNav: "E-mail",
};

const de: TranslationOf<typeof en> = {
  nav: "Benachrichtigungen",
  emailNav: "E-Mail",
};

const sv: TranslationOf<typeof en> = {
  nav: "Aviseringar",
  emailNav: "E-post",
};

export const notificationsMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
