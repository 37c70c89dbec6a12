// The "privacy" messages in every language: My data, export, activity log, account deletion, data statement (data rights issue).
// en is the source; the others must have the same keys and placeholders (typed as typeof privacy_en).

export const privacy_en = {
  title: "My data",
};

export const privacy_nl: typeof privacy_en = {
  title: "Mijn gegevens",
};

export const privacy_de: typeof privacy_en = {
  title: "Meine Daten",
};

export const privacy_sv: typeof privacy_en = {
  title: "Mina uppgifter",
};
