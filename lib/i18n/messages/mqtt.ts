// The "mqtt" messages: Settings → MQTT (broker, Home Assistant discovery, status).
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  nav: "MQTT",
};

const nl: TranslationOf<typeof en> = {
  nav: "MQTT",
};

const de: TranslationOf<typeof en> = {
  nav: "MQTT",
};

const sv: TranslationOf<typeof en> = {
  nav: "MQTT",
};

export const mqttMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
