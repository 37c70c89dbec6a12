// GET /api/v1/cameras/:id/live/:stream/(index.m3u8 | info.json | :run/init.mp4 | :run/seg-N.m4s) — the app's live
// view for programs: the same playlist and segments (lib/http/live-response.ts), with a token or a signed URL. Served
// through a signed URL, each URI in the playlist carries the request's signature query, so a player without headers
// can follow it.
import { getLive } from "@/lib/api/operations";
import { signedQueryOf } from "@/lib/auth/signed-url";
import { liveActivity, liveResponse, type LiveParams } from "@/lib/http/live-response";
import { route } from "@/lib/http/route";
import { withQueryOnUris } from "@/lib/live/playlist";

export const GET = route<undefined, LiveParams>({ access: getLive.access, activity: liveActivity }, (ctx) => {
  const signed = signedQueryOf(ctx.req);
  return liveResponse(ctx, signed ? (text) => withQueryOnUris(text, signed) : undefined);
});
