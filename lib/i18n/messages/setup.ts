// The "setup" messages: the first-run page that creates the owner account.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Set up Nightjar",
  intro: "Nightjar keeps your cameras' video on this server and nowhere else. Create the owner account to begin; you can invite the rest of the household afterwards.",
  householdName: "Household name",
  householdNamePlaceholder: "Our home",
  yourName: "Your name",
  submit: "Create owner account",
  submitting: "Creating…",
};

const nl: TranslationOf<typeof en> = {
  title: "Nightjar instellen",
  intro: "Nightjar bewaart de beelden van je camera's op deze server en nergens anders. Maak eerst het eigenaarsaccount aan; daarna kun je de rest van het huishouden uitnodigen.",
  householdName: "Naam van het huishouden",
  householdNamePlaceholder: "Ons huis",
  yourName: "Je naam",
  submit: "Eigenaarsaccount aanmaken",
  submitting: "Aanmaken…",
};

const de: TranslationOf<typeof en> = {
  title: "Nightjar einrichten",
  intro: "Nightjar speichert die Videos deiner Kameras auf diesem Server und nirgendwo sonst. Erstelle zuerst das Eigentümerkonto; den Rest des Haushalts kannst du danach einladen.",
  householdName: "Name des Haushalts",
  householdNamePlaceholder: "Unser Zuhause",
  yourName: "Dein Name",
  submit: "Eigentümerkonto erstellen",
  submitting: "Wird erstellt…",
};

const sv: TranslationOf<typeof en> = {
  title: "Konfigurera Nightjar",
  intro: "Nightjar sparar videon från dina kameror på den här servern och ingen annanstans. Skapa ägarkontot för att börja; resten av hushållet kan du bjuda in efteråt.",
  householdName: "Hushållets namn",
  householdNamePlaceholder: "Vårt hem",
  yourName: "Ditt namn",
  submit: "Skapa ägarkonto",
  submitting: "Skapar…",
};

export const setupMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
