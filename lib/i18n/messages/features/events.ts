// The "events" messages in every language (en is the source; the others must have the same keys and placeholders).
// Kept in a file of its own so this feature's strings change without touching the big catalogues.

export const events_en = {
  title: "Events",
  empty: "No events recorded yet.",
  emptyHint: "When something moves in front of a camera, its clip and photo appear here.",
  camera: "Camera",
  time: "Time",
  length: "Length",
  seconds: "{seconds, plural, one {# second} other {# seconds}}",
  recording: "Recording…",
  photoOf: "Photo of the event on {camera} at {time}",
  noPhoto: "No photo",
  clip: "Clip {n}",
  download: "Download",
  loadMore: "Older events",
  close: "Close",
  deletedCamera: "{camera} (deleted)",
};

export const events_nl: typeof events_en = {
  title: "Gebeurtenissen",
  empty: "Nog geen gebeurtenissen opgenomen.",
  emptyHint: "Als er iets beweegt voor een camera, verschijnen de clip en de foto hier.",
  camera: "Camera",
  time: "Tijd",
  length: "Duur",
  seconds: "{seconds, plural, one {# seconde} other {# seconden}}",
  recording: "Bezig met opnemen…",
  photoOf: "Foto van de gebeurtenis op {camera} om {time}",
  noPhoto: "Geen foto",
  clip: "Clip {n}",
  download: "Downloaden",
  loadMore: "Oudere gebeurtenissen",
  close: "Sluiten",
  deletedCamera: "{camera} (verwijderd)",
};

export const events_de: typeof events_en = {
  title: "Ereignisse",
  empty: "Noch keine Ereignisse aufgezeichnet.",
  emptyHint: "Wenn sich vor einer Kamera etwas bewegt, erscheinen Clip und Foto hier.",
  camera: "Kamera",
  time: "Zeit",
  length: "Dauer",
  seconds: "{seconds, plural, one {# Sekunde} other {# Sekunden}}",
  recording: "Wird aufgezeichnet…",
  photoOf: "Foto des Ereignisses von {camera} um {time}",
  noPhoto: "Kein Foto",
  clip: "Clip {n}",
  download: "Herunterladen",
  loadMore: "Ältere Ereignisse",
  close: "Schließen",
  deletedCamera: "{camera} (gelöscht)",
};

export const events_sv: typeof events_en = {
  title: "Händelser",
  empty: "Inga händelser inspelade än.",
  emptyHint: "När något rör sig framför en kamera visas klippet och fotot här.",
  camera: "Kamera",
  time: "Tid",
  length: "Längd",
  seconds: "{seconds, plural, one {# sekund} other {# sekunder}}",
  recording: "Spelar in…",
  photoOf: "Foto av händelsen från {camera} kl. {time}",
  noPhoto: "Inget foto",
  clip: "Klipp {n}",
  download: "Ladda ner",
  loadMore: "Äldre händelser",
  close: "Stäng",
  deletedCamera: "{camera} (borttagen)",
};
