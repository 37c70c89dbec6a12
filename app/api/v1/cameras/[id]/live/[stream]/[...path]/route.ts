// GET /api/v1/cameras/:id/live/:stream/(index.m3u8 | info.json | :run/init.mp4 | :run/seg-N.m4s) — the app's live
// view for programs: the same playlist and segments (lib/live), with a token or a signed URL. Served through a signed
// URL, each URI in the playlist carries the request's signature query, so a player without headers can follow it.
import { getLive } from "@/lib/api/operations";
import { signedQueryOf } from "@/lib/auth/signed-url";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { INIT_SEGMENT_NAME } from "@/lib/ffmpeg/ingest-args";
import { bytesResponse, fileResponse } from "@/lib/http/file-response";
import { errorResponse, route } from "@/lib/http/route";
import { getLiveCameraFor, liveIngestManager, liveMediaFile, readLivePlaylist, readLiveStreamInfo, readServedInitSegment, RETRY_AFTER_SECONDS } from "@/lib/live/live";
import { mediaContentType, parseLiveRequest } from "@/lib/live/paths";
import { withQueryOnUris } from "@/lib/live/playlist";
import { getSecrets } from "@/lib/secrets";

type Params = { id: string; stream: string; path: string[] };

export const GET = route<undefined, Params>(
  {
    access: getLive.access,
    // One record per member and camera per 10 minutes (recordActivity dedupes); segment requests record nothing.
    activity: ({ params }) => (parseLiveRequest(params.stream, params.path)?.target.kind === "playlist" ? { action: "live.view", cameraId: params.id } : null),
  },
  async ({ viewer, params, req, locale }) => {
    const request = parseLiveRequest(params.stream, params.path);
    if (!request) throw new AppError("not_found");
    const camera = await getLiveCameraFor(await db(), viewer, params.id);
    const { dataDir } = getEnv();
    if (request.target.kind === "media") {
      const { runId, file } = request.target;
      const found = liveMediaFile(camera, request.stream, runId, file, dataDir);
      if (file !== INIT_SEGMENT_NAME) return fileResponse(found, req, { contentType: mediaContentType(file) });
      const init = readServedInitSegment(found);
      return bytesResponse(init.bytes, init.stat, req, { contentType: mediaContentType(file) });
    }
    const ctx = { dataDir, manager: liveIngestManager(), credentialsKey: getSecrets().credentialsKey };
    try {
      if (request.target.kind === "info") return await readLiveStreamInfo(camera, request.stream, ctx);
      const msn = new URL(req.url).searchParams.get("_HLS_msn");
      const waitForSeq = msn !== null && /^\d{1,9}$/.test(msn) ? Number(msn) : null;
      const text = await readLivePlaylist(camera, request.stream, { ...ctx, waitForSeq });
      const signed = signedQueryOf(req);
      return new Response(signed ? withQueryOnUris(text, signed) : text, {
        headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "no-store", "x-content-type-options": "nosniff" },
      });
    } catch (err) {
      if (!isAppError(err) || err.code !== "live_unavailable") throw err;
      const res = errorResponse(err, locale);
      res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
      return res;
    }
  },
);
