// The built-in modes and the name a member reads. No database here: client components import this file too.
import type { Translator } from "../i18n/translate";

/** The three built in: not deletable, renamable. `id` and `key` as seeded by the migration. */
export const BUILT_IN_MODES = [
  { id: "mode_home", key: "home", name: "Home", position: 0 },
  { id: "mode_away", key: "away", name: "Away", position: 1 },
  { id: "mode_night", key: "night", name: "Night", position: 2 },
] as const;
export type BuiltInModeKey = (typeof BUILT_IN_MODES)[number]["key"];

/**
 * The name a member reads. A built-in mode that was never renamed reads in the member's language (the stored name is
 * the English seed, which MQTT, the API and the activity log keep using); any other name stays as an admin wrote it.
 */
export function localizeModeName<M extends { key: string | null; name: string }>(mode: M, t: Translator): M {
  const seed = BUILT_IN_MODES.find((b) => b.key === mode.key);
  if (!seed || mode.name !== seed.name) return mode;
  return { ...mode, name: t(`modes.builtInNames.${seed.key}`) };
}
