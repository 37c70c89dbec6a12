// The "storage" messages in every language: Storage page (events & expiry issue).
// en is the source; the others must have the same keys and placeholders (typed as typeof storage_en).

export const storage_en = {
  title: "Storage",
};

export const storage_nl: typeof storage_en = {
  title: "Opslag",
};

export const storage_de: typeof storage_en = {
  title: "Speicher",
};

export const storage_sv: typeof storage_en = {
  title: "Lagring",
};
