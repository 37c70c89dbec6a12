// GET /api/household/smtp — the household's SMTP settings (never the password) and status; PUT — save them (admins).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getSecrets } from "@/lib/secrets";
import { getSmtpSettings, saveSmtpSettings, smtpSettingsInput } from "@/lib/notifications/smtp";

export const GET = route({ access: { permission: "household:manage" } }, async () => getSmtpSettings(await db()));

export const PUT = route(
  {
    access: { permission: "household:manage" },
    body: smtpSettingsInput,
    activity: ({ result }) => {
      const changed = (result as { changed?: string[] } | null)?.changed ?? [];
      return changed.length ? { action: "settings.changed", data: { fields: changed.map((f) => `smtp.${f}`) } } : null;
    },
  },
  async ({ body }) => saveSmtpSettings(await db(), body, getSecrets().credentialsKey),
);
