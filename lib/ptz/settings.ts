// A camera's PTZ settings (Camera.ptzConfig, JSON): the saved position it goes back to when nobody has steered it for a
// while. Read with defaults (none); an unreadable value reads as the defaults.
import { z } from "zod";

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
