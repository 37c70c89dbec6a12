// GET /api/events/:id — one event I may see, with the detections on its photo. PATCH { isProtected } — protect it from
// expiry or remove the protection (events:protect). DELETE — delete it with its files (events:delete); a protected event is refused (409).
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getEventDetail } from "@/lib/events/events";
import { deleteEvent, setEventProtected } from "@/lib/events/manage";
import { route } from "@/lib/http/route";

type Params = { id: string };
const body = z.object({ isProtected: z.boolean() });

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) => getEventDetail(await db(), viewer, params.id));

export const PATCH = route<typeof body, Params>(
  {
    access: { permission: "events:protect" },
    body,
    activity: ({ params, body, result }) => ({ action: body.isProtected ? "event.protect" : "event.unprotect", targetId: params.id, cameraId: (result as { cameraId: string | null }).cameraId }),
  },
  async ({ viewer, params, body }) => setEventProtected(await db(), viewer, params.id, body.isProtected),
);

export const DELETE = route<undefined, Params>(
  {
    access: { permission: "events:delete" },
    activity: ({ params, result }) => ({ action: "event.delete", targetId: params.id, cameraId: (result as { cameraId: string | null }).cameraId }),
  },
  async ({ viewer, params }) => deleteEvent(await db(), getEnv().dataDir, viewer, params.id),
);
