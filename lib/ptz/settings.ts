// A camera's PTZ settings (Camera.ptzConfig, JSON): the saved position it goes back to when nobody has steered it for a
// while. Read with defaults (none); an unreadable value reads as the defaults. Also the PTZ limits the API documents.
import { z } from "zod";

/** Longest preset name, in characters. */
export const MAX_PRESET_NAME = 64;
/** Longest continuous move a client may ask for, in ms: a browser that vanishes mid-move stops the camera by then. */
export const MAX_MOVE_TIMEOUT_MS = 10_000;
/** Motion counts again this long after a PTZ command's move ended (the picture settles, exposure adapts), in ms. */
export const SETTLE_MS = 2_000;
/** How long a jump to a position (absolute, relative, a saved position, home) may take a real head, in ms. */
export const JUMP_MS = 5_000;
/** Longest idle time before the camera goes home, in minutes (a day). */
export const MAX_RETURN_MINUTES = 1440;

export const ptzSettingsSchema = z.object({
  /** The PtzPreset id to go back to; null = stay where it was left. */
  homePresetId: z.string().min(1).max(64).nullable(),
  /** Minutes without a PTZ command before going home (1–1440); null = never (with a home preset: only on request). */
  returnAfterMinutes: z.number().int().min(1).max(MAX_RETURN_MINUTES).nullable(),
});

export type PtzSettings = z.infer<typeof ptzSettingsSchema>;

export const DEFAULT_PTZ_SETTINGS: PtzSettings = { homePresetId: null, returnAfterMinutes: null };

export function parsePtzSettings(json: string): PtzSettings {
  try {
    const parsed = ptzSettingsSchema.safeParse({ ...DEFAULT_PTZ_SETTINGS, ...JSON.parse(json) });
    return parsed.success ? parsed.data : DEFAULT_PTZ_SETTINGS;
  } catch {
    return DEFAULT_PTZ_SETTINGS;
  }
}
