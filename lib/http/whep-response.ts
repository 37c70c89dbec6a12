// WHEP (RFC 9725) answers for live over WebRTC (web only; the app's routes and /api/v1's with a live:watch token): POST an SDP offer (application/sdp) → 201 with the SDP
// answer and Location (the session's resource); DELETE that resource → 200. Errors are route()'s JSON errors: 400
// webrtc_offer_invalid with params.reason, 415 for a body that is not application/sdp or a stream that is not H.264,
// 429 webrtc_limit, 503 live_unavailable (Retry-After). Access is the caller's: route() has authorized the viewer,
// getLiveCameraFor checks the camera (403/404), the hub the picture rule (disabled 404, privacy mode 409).
import type { Viewer } from "../auth/viewer";
import { db } from "../db";
import { getEnv } from "../env";
import { AppError, isAppError } from "../errors";
import { getLiveCameraFor, RETRY_AFTER_SECONDS } from "../live/live";
import { isLiveStream } from "../live/paths";
import type { Locale } from "../i18n/locales";
import { MAX_OFFER_BYTES } from "../live/webrtc/sdp";
import { webRtcHub } from "../live/webrtc/web";
import { errorResponse, readLimited } from "./route";

export type WhepParams = { id: string; stream: string };
export type WhepSessionParams = WhepParams & { session: string };

export async function whepOffer(ctx: { viewer: Viewer; params: WhepParams; req: Request; locale: Locale }): Promise<Response> {
  const { viewer, params, req } = ctx;
  const stream = params.stream;
  if (!isLiveStream(stream) || !getEnv().WEBRTC_ENABLED) throw new AppError("not_found");
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/sdp")) throw new AppError("unsupported_media_type");
  const database = await db();
  const camera = await getLiveCameraFor(database, viewer, params.id);
  let offer: string;
  try {
    offer = await readLimited(req, MAX_OFFER_BYTES);
  } catch (err) {
    if (isAppError(err) && err.code === "payload_too_large") throw new AppError("webrtc_offer_invalid", { reason: "too_large" });
    throw err;
  }
  const status = await database.cameraStatus.findUnique({ where: { cameraId: camera.id }, select: { videoCodec: true } });
  let answered;
  try {
    answered = await webRtcHub().answer({ ...camera, videoCodec: status?.videoCodec ?? null }, stream, viewer, offer);
  } catch (err) {
    if (!isAppError(err) || err.code !== "live_unavailable") throw err;
    const res = errorResponse(err, ctx.locale);
    res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
    return res;
  }
  const { sessionId, answer } = answered;
  // The session lives beside the offer's URL: /api/cameras/… for the app, /api/v1/cameras/… for programs.
  const base = new URL(req.url).pathname.startsWith("/api/v1/") ? "/api/v1/cameras" : "/api/cameras";
  const location = `${base}/${encodeURIComponent(camera.id)}/live/${stream}/whep/${sessionId}`;
  return new Response(answer, { status: 201, headers: { "content-type": "application/sdp", location, "cache-control": "no-store", "x-content-type-options": "nosniff" } });
}

export async function whepDelete(ctx: { viewer: Viewer; params: WhepSessionParams }): Promise<Response> {
  const { viewer, params } = ctx;
  if (!/^[A-Za-z0-9_-]{22}$/.test(params.session)) throw new AppError("not_found");
  webRtcHub().close(params.session, viewer, params.id);
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
}
