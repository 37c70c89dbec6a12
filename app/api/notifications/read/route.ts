// POST /api/notifications/read { ids?: string[] } — marks the member's notifications read (all when ids is absent).
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { markNotificationsRead } from "@/lib/notifications/centre";

const body = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional() });

export const POST = route({ access: {}, body }, async ({ viewer, body }) => markNotificationsRead(await db(), viewer.id, body.ids ?? null));
