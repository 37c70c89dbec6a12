// POST /api/events/review/all — "everything up to now": every event that started until now counts as reviewed by me
// (lib/events/review.ts markAllReviewed). Answers { upTo }.
import { db } from "@/lib/db";
import { markAllReviewed } from "@/lib/events/review";
import { route } from "@/lib/http/route";

export const POST = route({ access: { permission: "video:watch" } }, async ({ viewer }) => markAllReviewed(await db(), viewer));
