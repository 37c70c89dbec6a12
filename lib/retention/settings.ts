// The household's expiry settings (admins, Storage page): storage quota, and how long camera diagnostics and activity
// records are kept. Per-camera retention days are a camera setting (lib/cameras).
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { RetentionSettings } from "./apply";

/** Smallest and largest quota, MB (MiB): below 100 MB a single long clip could exceed it. */
export const MIN_QUOTA_MB = 100;
export const MAX_QUOTA_MB = 1024 * 1024 * 1024; // 1 PiB
export const MAX_RECORDS_DAYS = 3650;
/**
 * Notifications and their delivery log are kept this long, days (fixed, not a household setting): the notifier's
 * sweep (lib/notifications/service.ts) deletes older rows, and the data statement quotes it. Here, below both.
 */
export const NOTIFICATION_KEEP_DAYS = 30;

export const storageSettingsSchema = z
  .object({
    /** null = no quota. */
    storageQuotaMb: z.number().int().min(MIN_QUOTA_MB).max(MAX_QUOTA_MB).nullable(),
    diagnosticsRetentionDays: z.number().int().min(1).max(MAX_RECORDS_DAYS),
    activityRetentionDays: z.number().int().min(1).max(MAX_RECORDS_DAYS),
  })
  .partial()
  .strict();

export type StorageSettingsPatch = z.infer<typeof storageSettingsSchema>;

/** Changes the given settings; the next retention pass (or "Run expiry now") applies them. */
export async function updateStorageSettings(db: Db, patch: StorageSettingsPatch): Promise<RetentionSettings> {
  const exists = await db.household.count({ where: { id: 1 } });
  if (!exists) throw new AppError("setup_required");
  return db.household.update({ where: { id: 1 }, data: patch, select: { storageQuotaMb: true, diagnosticsRetentionDays: true, activityRetentionDays: true } });
}
