// GET /api/events?camera=<id>&before=<cursor>&limit=<n> — events I may see, newest first (keyset pages).
import { z } from "zod";
import { db } from "@/lib/db";
import { listEvents } from "@/lib/events/events";
import { route, validationError } from "@/lib/http/route";

const query = z.object({ camera: z.string().max(64).optional(), before: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).optional() });

export const GET = route({ access: { permission: "video:watch" } }, async ({ viewer, req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return listEvents(await db(), viewer, { cameraId: parsed.data.camera, before: parsed.data.before, limit: parsed.data.limit });
});
