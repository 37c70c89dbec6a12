// GET /api/events/:id/playback — how the player plays the event (lib/events/event-cache.ts): { mode: "whole" (one
// joined video at …/play) | "clips" (one after another), mimeType, frameMs, clips: [{ sequence, startMs, durationMs }],
// copiesReady (every clip's H.264 copy made: …/play?copy=h264 plays them joined) }.
// Reads the clips' headers only. Same access as a clip (video:watch and the camera's visibility).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getEventPlayback } from "@/lib/events/event-cache";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) =>
  getEventPlayback(await db(), getEnv().dataDir, viewer, params.id),
);
