// The activity rules of the media routes (clips and timelapses, in the app and in /api/v1): which request asks for an
// attachment, which one is a download already recorded (a resumed Range request), and the camera of each served
// response — route() hands the activity function the Response, and the camera is known only once the handler found
// the file.

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
