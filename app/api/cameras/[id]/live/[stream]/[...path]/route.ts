// GET /api/cameras/:id/live/:stream/index.m3u8 — the live playlist (stream = main | sub), for members who may see
// the camera; GET /api/cameras/:id/live/:stream/info.json — what the stream holds (exact codec strings, picture size,
// sound), for the player to ask the browser before it loads anything; GET /api/cameras/:id/live/:stream/:run/(init.mp4
// | seg-N.m4s) — its media, with range requests (the init segment with H.265 entries as `hvc1`, for Safari).
import { liveActivity, liveResponse, type LiveParams } from "@/lib/http/live-response";
import { route } from "@/lib/http/route";

export const GET = route<undefined, LiveParams>({ access: { permission: "video:watch" }, activity: liveActivity }, (ctx) => liveResponse(ctx));
