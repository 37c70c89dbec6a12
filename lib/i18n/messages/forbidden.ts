// The "forbidden" messages: the page shown when the member's role may not open a page.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Not allowed",
  text: "Your role ({role}) cannot open this page. Ask an admin of the household if you need it.",
};

const nl: TranslationOf<typeof en> = {
  title: "Niet toegestaan",
  text: "Met jouw rol ({role}) kun je deze pagina niet openen. Vraag een beheerder van het huishouden als je hem nodig hebt.",
};

const de: TranslationOf<typeof en> = {
  title: "Nicht erlaubt",
  text: "Mit deiner Rolle ({role}) kannst du diese Seite nicht öffnen. Frag einen Admin des Haushalts, wenn du sie brauchst.",
};

const sv: TranslationOf<typeof en> = {
  title: "Inte tillåtet",
  text: "Din roll ({role}) har inte åtkomst till den här sidan. Fråga en administratör i hushållet om du behöver den.",
};

export const forbiddenMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
