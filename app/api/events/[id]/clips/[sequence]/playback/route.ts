// GET /api/events/:id/clips/:sequence/playback — what the event player needs to choose between the clip and its H.264
// copy: the clip's codecs (the exact RFC 6381 string read from its moov, for canPlayType / isTypeSupported) and the
// state of its copy (none, queued, preparing with progress, ready, failed). Same access as the clip itself.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getClipPlayback, playableCopyQueue } from "@/lib/events/playable-copy";
import { route } from "@/lib/http/route";

type Params = { id: string; sequence: string };

export const GET = route<undefined, Params>({ access: { permission: "video:watch" } }, async ({ viewer, params }) =>
  getClipPlayback(await db(), getEnv().dataDir, viewer, params.id, params.sequence, playableCopyQueue()),
);
