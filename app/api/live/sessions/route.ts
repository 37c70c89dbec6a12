// GET /api/live/sessions — the on-request live ingests running now (admins): which camera and stream, since when,
// and the last playlist request. Each stops LIVE_IDLE_SECONDS after that.
import { route } from "@/lib/http/route";
import { existingLiveIngestManager } from "@/lib/live/live";

export const GET = route({ access: { permission: "cameras:manage" } }, async () => ({ sessions: existingLiveIngestManager()?.sessions() ?? [] }));
