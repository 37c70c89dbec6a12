// GET /api/household/privacy — the household's privacy settings. PATCH — change who may switch privacy mode and
// whose exports include recordings (admins).
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { PRIVACY_MODE_ROLES } from "@/lib/privacy/privacy-mode";
import { EXPORT_MEDIA_SCOPES, getPrivacySettings, updatePrivacySettings } from "@/lib/privacy/settings";

const body = z
  .object({ privacyModeRole: z.enum(PRIVACY_MODE_ROLES).optional(), exportMediaScope: z.enum(EXPORT_MEDIA_SCOPES).optional() })
  .refine((b) => b.privacyModeRole !== undefined || b.exportMediaScope !== undefined);

export const GET = route({ access: { permission: "settings:manage" } }, async () => getPrivacySettings(await db()));

export const PATCH = route(
  {
    access: { permission: "settings:manage" },
    body,
    activity: ({ result }) => {
      const changed = (result as { changed?: string[] } | null)?.changed ?? [];
      return changed.length ? { action: "settings.changed", data: { fields: changed } } : null;
    },
  },
  async ({ body }) => updatePrivacySettings(await db(), body),
);
