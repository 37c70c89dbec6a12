// The "invite" messages: the page that turns an invite link into an account.
// In every language: en is the source; nl, de, sv must have exactly its keys (TranslationOf) and placeholders.
import type { InEveryLocale, TranslationOf } from "../locales";

const en = {
  title: "Join {household}",
  intro: "You are invited to join as {role}. Choose your sign-in details.",
  emailFixed: "This invite is for {email}.",
  submit: "Create my account",
  submitting: "Creating…",
  invalidTitle: "This invite cannot be used",
  invalidText: "The link has expired, was already used, or was withdrawn. Ask an admin of the household for a new one.",
  toLogin: "Go to sign in",
};

const nl: TranslationOf<typeof en> = {
  title: "Sluit je aan bij {household}",
  intro: "Je bent uitgenodigd als {role}. Kies je inloggegevens.",
  emailFixed: "Deze uitnodiging is voor {email}.",
  submit: "Mijn account aanmaken",
  submitting: "Aanmaken…",
  invalidTitle: "Deze uitnodiging kan niet worden gebruikt",
  invalidText: "De link is verlopen, al gebruikt of ingetrokken. Vraag een beheerder van het huishouden om een nieuwe.",
  toLogin: "Naar inloggen",
};

const de: TranslationOf<typeof en> = {
  title: "{household} beitreten",
  intro: "Du wurdest als {role} eingeladen. Wähle deine Anmeldedaten.",
  emailFixed: "Diese Einladung gilt für {email}.",
  submit: "Mein Konto erstellen",
  submitting: "Wird erstellt…",
  invalidTitle: "Diese Einladung kann nicht verwendet werden",
  invalidText: "Der Link ist abgelaufen, wurde bereits verwendet oder widerrufen. Bitte einen Admin des Haushalts um einen neuen.",
  toLogin: "Zur Anmeldung",
};

const sv: TranslationOf<typeof en> = {
  title: "Gå med i {household}",
  intro: "Du är inbjuden med rollen {role}. Välj dina inloggningsuppgifter.",
  emailFixed: "Den här inbjudan gäller {email}.",
  submit: "Skapa mitt konto",
  submitting: "Skapar…",
  invalidTitle: "Den här inbjudan kan inte användas",
  invalidText: "Länken har gått ut, redan använts eller återkallats. Be en administratör i hushållet om en ny.",
  toLogin: "Till inloggningen",
};

export const inviteMessages = { en, nl, de, sv } satisfies InEveryLocale<typeof en>;
