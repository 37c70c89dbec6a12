// The message catalogues: one file here per top-level key ("household.inviteCreated" lives in household.ts), each
// holding that section in every language; this module assembles them per locale and defines Messages and MessageKey.
// Placeholders: {name}; plurals: {count, plural, one {# minute} other {# minutes}}. A new file is added to SECTIONS.
import { LOCALES, type Locale, type TranslationOf } from "../locales";
import { accountMessages } from "./account";
import { apiReferenceMessages } from "./apiReference";
import { camerasMessages } from "./cameras";
import { commonMessages } from "./common";
import { errorsMessages } from "./errors";
import { eventsMessages } from "./events";
import { exportsMessages } from "./exports";
import { fieldErrorsMessages } from "./fieldErrors";
import { forbiddenMessages } from "./forbidden";
import { householdMessages } from "./household";
import { inviteMessages } from "./invite";
import { liveMessages } from "./live";
import { loginMessages } from "./login";
import { motionMessages } from "./motion";
import { navMessages } from "./nav";
import { notFoundMessages } from "./notFound";
import { privacyMessages } from "./privacy";
import { rolesMessages } from "./roles";
import { settingsMessages } from "./settings";
import { setupMessages } from "./setup";
import { storageMessages } from "./storage";
import { webhooksMessages } from "./webhooks";
import { tokensMessages } from "./tokens";
import { modesMessages } from "./modes";
import { notificationsMessages } from "./notifications";
import { mqttMessages } from "./mqtt";
import { pushMessages } from "./push";
import { detectionMessages } from "./detection";
import { ptzMessages } from "./ptz";
import { timelapseMessages } from "./timelapse";
import { timelineMessages } from "./timeline";

/** Every section, in catalogue order. */
const SECTIONS = {
  common: commonMessages,
  nav: navMessages,
  roles: rolesMessages,
  setup: setupMessages,
  login: loginMessages,
  invite: inviteMessages,
  live: liveMessages,
  events: eventsMessages,
  privacy: privacyMessages,
  storage: storageMessages,
  tokens: tokensMessages,
  exports: exportsMessages,
  cameras: camerasMessages,
  settings: settingsMessages,
  household: householdMessages,
  account: accountMessages,
  apiReference: apiReferenceMessages,
  motion: motionMessages,
  detection: detectionMessages,
  ptz: ptzMessages,
  timelapse: timelapseMessages,
  timeline: timelineMessages,
  webhooks: webhooksMessages,
  modes: modesMessages,
  notifications: notificationsMessages,
  mqtt: mqttMessages,
  push: pushMessages,
  forbidden: forbiddenMessages,
  notFound: notFoundMessages,
  errors: errorsMessages,
  fieldErrors: fieldErrorsMessages,
};

type English = { [S in keyof typeof SECTIONS]: (typeof SECTIONS)[S]["en"] };
/** The shape every catalogue has: the English keys, any strings. */
export type Messages = TranslationOf<English>;

type Paths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
/** Every message key, e.g. "household.inviteCreated". */
export type MessageKey = Paths<Messages>;

function catalogue(locale: Locale): Messages {
  // Each section file is typed InEveryLocale, so every locale's sections have the English shape.
  return Object.fromEntries(Object.entries(SECTIONS).map(([name, section]) => [name, section[locale]])) as Messages;
}

export const CATALOGUES = Object.fromEntries(LOCALES.map((locale) => [locale, catalogue(locale)])) as Record<Locale, Messages>;

/** The English catalogue: the source, and the fallback for a key another language lacks. */
export const en: Messages = CATALOGUES.en;
