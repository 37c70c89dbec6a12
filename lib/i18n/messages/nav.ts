// The "nav" messages: the main navigation and the signed-in header.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  main: "Main navigation",
  menu: "Menu",
  live: "Live",
  events: "Events",
  cameras: "Cameras",
  storage: "Storage",
  settings: "Settings",
  account: "Account",
  signedInAs: "Signed in as {name}",
  skipToContent: "Skip to content",
};

const nl: TranslationOf<typeof en> = {
  main: "Hoofdnavigatie",
  menu: "Menu",
  live: "Live",
  events: "Gebeurtenissen",
  cameras: "Camera's",
  storage: "Opslag",
  settings: "Instellingen",
  account: "Account",
  signedInAs: "Ingelogd als {name}",
  skipToContent: "Naar de inhoud",
};

const de: TranslationOf<typeof en> = {
  main: "Hauptnavigation",
  menu: "Menü",
  live: "Live",
  events: "Ereignisse",
  cameras: "Kameras",
  storage: "Speicher",
  settings: "Einstellungen",
  account: "Konto",
  signedInAs: "Angemeldet als {name}",
  skipToContent: "Zum Inhalt springen",
};

const sv: TranslationOf<typeof en> = {
  main: "Huvudnavigering",
  menu: "Meny",
  live: "Live",
  events: "Händelser",
  cameras: "Kameror",
  storage: "Lagring",
  settings: "Inställningar",
  account: "Konto",
  signedInAs: "Inloggad som {name}",
  skipToContent: "Hoppa till innehållet",
};

export const navMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
