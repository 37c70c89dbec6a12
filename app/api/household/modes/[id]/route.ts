// PATCH /api/household/modes/:id { name?, cameras?, schedule? } — rename a mode, change some cameras' armed/notify
// flags (merged), replace its schedule (admins). DELETE — delete a mode an admin added (not the built-in three, not
// the mode in force).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { deleteMode, updateMode, updateModeInput } from "@/lib/modes/modes";

type Params = { id: string };

export const PATCH = route<typeof updateModeInput, Params>(
  {
    access: { permission: "settings:manage" },
    body: updateModeInput,
    activity: ({ params, result }) => {
      const changed = (result as { changed: string[] }).changed;
      return changed.length ? { action: "mode.changed", targetId: params.id, data: { fields: changed } } : null;
    },
  },
  async ({ viewer, params, body }) => updateMode(await db(), params.id, body, viewer.id),
);

export const DELETE = route<undefined, Params>({ access: { permission: "settings:manage" }, activity: ({ params }) => ({ action: "mode.deleted", targetId: params.id }) }, async ({ params }) => {
  await deleteMode(await db(), params.id);
  return { ok: true };
});
