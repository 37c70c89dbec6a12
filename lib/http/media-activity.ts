// The activity rules of the media routes (clips and timelapses, in the app and in /api/v1): which request asks for an
// attachment, which one is a download already recorded (a resumed Range request), and the camera of each served
// response — route() hands the activity function the Response, and the camera is known only once the handler found
// the file.

import type { ActivityAction } from "../activity/record";

/** `?download=1`: the file as an attachment. */
export const isDownloadRequest = (req: Request): boolean => new URL(req.url).searchParams.get("download") === "1";

/** A download resumed with a Range request past its first byte is the same download: not recorded again. */
export function isResumedDownload(req: Request): boolean {
  const range = req.headers.get("range");
  return !!range && !/^bytes=0-/.test(range.trim());
}

/** Per route: remembers the camera of each response it served (weakly), for its activity record. */
export function servedCameras() {
  const cameras = new WeakMap<Response, string | null>();
  return {
    note(res: Response, cameraId: string | null): Response {
      cameras.set(res, cameraId);
      return res;
    },
    of(result: unknown): string | null {
      return result instanceof Response ? (cameras.get(result) ?? null) : null;
    },
  };
}

/** What a media route serves: its activity actions are "<kind>.play" and "<kind>.download". */
type MediaKind = "clip" | "timelapse";
type MediaActivityRecord = { action: ActivityAction; targetId: string; cameraId: string | null; data?: Record<string, unknown> };

/**
 * A media route's activity rules, in one place: nothing for HEAD or a resumed download; "<kind>.download" for an
 * attachment (`?download=1`, or every request of a route that only serves attachments, such as /api/v1's), with
 * `downloadData` of the route's params; else "<kind>.play" (a play is many range requests: deduplicated in
 * recordActivity). The handler passes each response through `note` with its camera.
 */
export function mediaActivity<P extends { id: string }>(kind: MediaKind, opts: { attachmentOnly?: boolean; downloadData?: (params: P) => Record<string, unknown> } = {}) {
  const served = servedCameras();
  return {
    note: served.note,
    activity: ({ req, params, result }: { req: Request; params: P; result: unknown }): MediaActivityRecord | null => {
      if (req.method === "HEAD") return null;
      const cameraId = served.of(result);
      if (opts.attachmentOnly || isDownloadRequest(req)) {
        if (isResumedDownload(req)) return null;
        return { action: `${kind}.download`, targetId: params.id, cameraId, ...(opts.downloadData ? { data: opts.downloadData(params) } : {}) };
      }
      return { action: `${kind}.play`, targetId: params.id, cameraId };
    },
  };
}
