// POST /api/storage/retention — run expiry now (admins): finishes pending deletions, deletes what the policy says is
// due, and returns what was deleted. Shares a pass already running in this process; see lib/retention/apply.ts.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { runRetention } from "@/lib/retention/apply";

export const POST = route({ access: { permission: "settings:manage" } }, async () => runRetention(await db()));
