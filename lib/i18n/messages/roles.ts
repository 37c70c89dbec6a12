// The "roles" messages: the household roles' names and descriptions (admin, member, viewer).
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
  adminDescription: "Manages the household, cameras and settings; sees every camera.",
  memberDescription: "Watches the cameras they are given; keeps or deletes their recordings.",
  viewerDescription: "Watches the cameras they are given and downloads clips; changes nothing.",
};

const nl: TranslationOf<typeof en> = {
  admin: "Beheerder",
  member: "Lid",
  viewer: "Kijker",
  adminDescription: "Beheert het huishouden, de camera's en de instellingen; ziet alle camera's.",
  memberDescription: "Kijkt naar de toegewezen camera's; bewaart of verwijdert de opnames.",
  viewerDescription: "Kijkt naar de toegewezen camera's en downloadt clips; wijzigt niets.",
};

const de: TranslationOf<typeof en> = {
  admin: "Admin",
  member: "Mitglied",
  viewer: "Zuschauer",
  adminDescription: "Verwaltet Haushalt, Kameras und Einstellungen; sieht alle Kameras.",
  memberDescription: "Sieht die freigegebenen Kameras; behält oder löscht deren Aufnahmen.",
  viewerDescription: "Sieht die freigegebenen Kameras und lädt Clips herunter; ändert nichts.",
};

const sv: TranslationOf<typeof en> = {
  admin: "Administratör",
  member: "Medlem",
  viewer: "Tittare",
  adminDescription: "Hanterar hushållet, kamerorna och inställningarna; ser alla kameror.",
  memberDescription: "Tittar på tilldelade kameror; sparar eller raderar inspelningarna.",
  viewerDescription: "Tittar på tilldelade kameror och laddar ner klipp; ändrar ingenting.",
};

export const rolesMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
