// The live view's answers (web only), shared by the app's live route and the public API's: the playlist (stream =
// main | sub), info.json (exact codec strings, picture size, sound), and the run's media (init.mp4 with H.265 entries
// as `hvc1`, seg-N.m4s) with range requests. URLs outside that contract are 404 before anything is read
// (lib/live/paths.ts). Access is the caller's: route() has authorized the viewer, getLiveCameraFor checks the camera.
import { db } from "../db";
import { getEnv } from "../env";
import { AppError, isAppError } from "../errors";
import { INIT_SEGMENT_NAME } from "../ffmpeg/ingest-args";
import type { Viewer } from "../auth/viewer";
import { getLiveCameraFor, liveIngestManager, liveMediaFile, readLivePlaylist, readLiveStreamInfo, readServedInitSegment, RETRY_AFTER_SECONDS } from "../live/live";
import { mediaContentType, parseLiveRequest } from "../live/paths";
import type { Locale } from "../i18n/locales";
import { getSecrets } from "../secrets";
import { bytesResponse, fileResponse } from "./file-response";
import { errorResponse } from "./route";

export type LiveParams = { id: string; stream: string; path: string[] };

/** The activity of a live request: the playlist records a view (deduped per 10 minutes), media records nothing. */
export const liveActivity = ({ params }: { params: LiveParams }) =>
  parseLiveRequest(params.stream, params.path)?.target.kind === "playlist" ? { action: "live.view" as const, cameraId: params.id } : null;

export async function liveResponse(
  ctx: { viewer: Viewer; params: LiveParams; req: Request; locale: Locale },
  /** Rewrites the playlist text before it is sent (the public API appends a signed URL's query to every URI). */
  rewritePlaylist: (text: string) => string = (text) => text,
): Promise<Response> {
  const { viewer, params, req, locale } = ctx;
  const request = parseLiveRequest(params.stream, params.path);
  if (!request) throw new AppError("not_found");
  const camera = await getLiveCameraFor(await db(), viewer, params.id);
  const { dataDir } = getEnv();
  if (request.target.kind === "media") {
    const { runId, file } = request.target;
    // Cached privately and revalidated (lib/http/file-response.ts): access is checked again on every use.
    const found = liveMediaFile(camera, request.stream, runId, file, dataDir);
    if (file !== INIT_SEGMENT_NAME) return fileResponse(found, req, { contentType: mediaContentType(file) });
    const init = readServedInitSegment(found);
    return bytesResponse(init.bytes, init.stat, req, { contentType: mediaContentType(file) });
  }
  const live = { dataDir, manager: liveIngestManager(), credentialsKey: getSecrets().credentialsKey };
  try {
    if (request.target.kind === "info") return Response.json(await readLiveStreamInfo(camera, request.stream, live), { headers: { "cache-control": "no-store" } });
    // A blocking reload from hls.js (LL-HLS delivery directive): wait for that media sequence number.
    const msn = new URL(req.url).searchParams.get("_HLS_msn");
    const waitForSeq = msn !== null && /^\d{1,9}$/.test(msn) ? Number(msn) : null;
    const text = await readLivePlaylist(camera, request.stream, { ...live, waitForSeq });
    return new Response(rewritePlaylist(text), { headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "no-store", "x-content-type-options": "nosniff" } });
  } catch (err) {
    if (!isAppError(err) || err.code !== "live_unavailable") throw err;
    const res = errorResponse(err, locale);
    res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
    return res;
  }
}
