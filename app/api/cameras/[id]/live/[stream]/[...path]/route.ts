// GET /api/cameras/:id/live/:stream/index.m3u8 — the live playlist (stream = main | sub), for members who may see
// the camera; GET /api/cameras/:id/live/:stream/info.json — what the stream holds (exact codec strings, picture size,
// sound), for the player to ask the browser before it loads anything; GET /api/cameras/:id/live/:stream/:run/(init.mp4
// | seg-N.m4s) — its media, with range requests (the init segment with H.265 entries as `hvc1`, for Safari).
// URLs outside that contract are 404 before anything is read (lib/live/paths.ts).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { INIT_SEGMENT_NAME } from "@/lib/ffmpeg/ingest-args";
import { bytesResponse, fileResponse } from "@/lib/http/file-response";
import { errorResponse, route } from "@/lib/http/route";
import { getLiveCameraFor, liveIngestManager, liveMediaFile, readLivePlaylist, readLiveStreamInfo, readServedInitSegment, RETRY_AFTER_SECONDS } from "@/lib/live/live";
import { mediaContentType, parseLiveRequest } from "@/lib/live/paths";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string; stream: string; path: string[] };

export const GET = route<undefined, Params>(
  {
    access: { permission: "video:watch" },
    // One record per viewer and camera per 10 minutes (recordActivity dedupes); segment requests record nothing.
    activity: ({ params }) => (parseLiveRequest(params.stream, params.path)?.target.kind === "playlist" ? { action: "live.view", cameraId: params.id } : null),
  },
  async ({ viewer, params, req, locale }) => {
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
    const ctx = { dataDir, manager: liveIngestManager(), credentialsKey: getSecrets().credentialsKey };
    try {
      if (request.target.kind === "info") return await readLiveStreamInfo(camera, request.stream, ctx);
      // A blocking reload from hls.js (LL-HLS delivery directive): wait for that media sequence number.
      const msn = new URL(req.url).searchParams.get("_HLS_msn");
      const waitForSeq = msn !== null && /^\d{1,9}$/.test(msn) ? Number(msn) : null;
      const text = await readLivePlaylist(camera, request.stream, { ...ctx, waitForSeq });
      return new Response(text, { headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "no-store", "x-content-type-options": "nosniff" } });
    } catch (err) {
      if (!isAppError(err) || err.code !== "live_unavailable") throw err;
      const res = errorResponse(err, locale);
      res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
      return res;
    }
  },
);
