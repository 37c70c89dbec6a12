// The "live" messages in every language (en is the source; the others must have the same keys and placeholders).
// Kept in a file of its own so this feature's strings change without touching the big catalogues.

export const live_en = {
  title: "Live",
  empty: "No cameras to show yet.",
  emptyAdmin: "Add a camera under Cameras to watch it here.",
  emptyMember: "An admin decides which cameras you can watch.",
  stillOf: "Picture of {camera} now",
};

export const live_nl: typeof live_en = {
  title: "Live",
  empty: "Nog geen camera's om te tonen.",
  emptyAdmin: "Voeg een camera toe onder Camera's om hem hier te bekijken.",
  emptyMember: "Een beheerder bepaalt welke camera's je kunt bekijken.",
  stillOf: "Beeld van {camera} nu",
};

export const live_de: typeof live_en = {
  title: "Live",
  empty: "Noch keine Kameras zum Anzeigen.",
  emptyAdmin: "Füge unter Kameras eine Kamera hinzu, um sie hier anzusehen.",
  emptyMember: "Ein Admin legt fest, welche Kameras du sehen kannst.",
  stillOf: "Aktuelles Bild von {camera}",
};

export const live_sv: typeof live_en = {
  title: "Live",
  empty: "Inga kameror att visa än.",
  emptyAdmin: "Lägg till en kamera under Kameror för att titta på den här.",
  emptyMember: "En administratör bestämmer vilka kameror du kan titta på.",
  stillOf: "Bild från {camera} just nu",
};
