// POST /api/events/review { ids, reviewed } — mark events reviewed (or not) for me: my review queue only, never anyone
// else's (lib/events/review.ts). Events I may not see and unknown ids are skipped. Answers which ids now count as
// reviewed and which as not (an event before my "everything up to now" mark stays reviewed).
import { z } from "zod";
import { db } from "@/lib/db";
import { MAX_REVIEW_IDS, setReviewed } from "@/lib/events/review";
import { route } from "@/lib/http/route";

const body = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_REVIEW_IDS), reviewed: z.boolean() });

export const POST = route({ access: { permission: "video:watch" }, body }, async ({ viewer, body }) => setReviewed(await db(), viewer, body.ids, body.reviewed));
