// POST /api/events/delete { ids } — delete several events I may see (events:delete, at most 500). Protected ones are
// skipped and unknown ones reported as missing; an event of a camera I may not see refuses the whole request (403).
import { z } from "zod";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { deleteEventsBulk, MAX_BULK_IDS, type BulkDeleteResult } from "@/lib/events/manage";
import { route } from "@/lib/http/route";

const body = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_IDS) });

export const POST = route(
  {
    access: { permission: "events:delete" },
    body,
    activity: ({ result }) => {
      const r = result as BulkDeleteResult & { ids: string[] };
      return r.deleted ? { action: "event.delete", data: { count: r.deleted, ids: r.ids } } : null;
    },
  },
  async ({ viewer, body }) => {
    const result = await deleteEventsBulk(await db(), getEnv().dataDir, viewer, body.ids);
    const skipped = new Set([...result.protected, ...result.missing]);
    return { ...result, ids: [...new Set(body.ids)].filter((id) => !skipped.has(id)) };
  },
);
