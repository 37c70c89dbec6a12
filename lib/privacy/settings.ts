// The household's privacy settings (admins): who may switch privacy mode, and whose exports include recordings.
import type { Db } from "../db";
import { AppError } from "../errors";
import { isPrivacyModeRole, type PrivacyModeRole } from "./privacy-mode";

export const EXPORT_MEDIA_SCOPES = ["admin", "visible"] as const;
export type ExportMediaScope = (typeof EXPORT_MEDIA_SCOPES)[number];

export type PrivacySettings = { privacyModeRole: PrivacyModeRole; exportMediaScope: ExportMediaScope; activityRetentionDays: number; diagnosticsRetentionDays: number };

const isScope = (v: unknown): v is ExportMediaScope => typeof v === "string" && (EXPORT_MEDIA_SCOPES as readonly string[]).includes(v);

export async function getPrivacySettings(db: Db): Promise<PrivacySettings> {
  const h = await db.household.findUnique({ where: { id: 1 } });
  if (!h) throw new AppError("setup_required");
  return {
    privacyModeRole: isPrivacyModeRole(h.privacyModeRole) ? h.privacyModeRole : "admin",
    exportMediaScope: isScope(h.exportMediaScope) ? h.exportMediaScope : "visible",
    activityRetentionDays: h.activityRetentionDays,
    diagnosticsRetentionDays: h.diagnosticsRetentionDays,
  };
}

/** Changes the given settings; returns them all and the names of those that changed (for the activity log). */
export async function updatePrivacySettings(db: Db, input: { privacyModeRole?: PrivacyModeRole; exportMediaScope?: ExportMediaScope }) {
  const before = await getPrivacySettings(db);
  const data: Record<string, string> = {};
  if (input.privacyModeRole !== undefined && input.privacyModeRole !== before.privacyModeRole) data.privacyModeRole = input.privacyModeRole;
  if (input.exportMediaScope !== undefined && input.exportMediaScope !== before.exportMediaScope) data.exportMediaScope = input.exportMediaScope;
  if (Object.keys(data).length) await db.household.update({ where: { id: 1 }, data });
  return { settings: await getPrivacySettings(db), changed: Object.keys(data) };
}

/** Whether this member's exports may include recordings (the export helper and the My data page use it). */
export function mayExportMedia(role: string, scope: ExportMediaScope): boolean {
  return scope === "visible" || role === "admin";
}
