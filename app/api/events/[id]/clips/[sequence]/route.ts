// GET /api/events/:id/clips/:sequence[?download=1] — one MP4 clip of an event, with range requests (seeking).
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mediaFile, requireEventAccess } from "@/lib/events/events";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";
import { mediaDir } from "@/lib/media";

export const GET = route<undefined, { id: string; sequence: string }>({ access: { permission: "video:watch" } }, async ({ viewer, params, req }) => {
  const event = await requireEventAccess(await db(), viewer, params.id);
  const clip = event.clips.find((c) => String(c.sequence) === params.sequence);
  if (!clip) throw new AppError("not_found");
  const download = new URL(req.url).searchParams.get("download") === "1";
  const stamp = clip.startedAt.toISOString().replace(/[:]/g, "-").replace(/\.\d+Z$/, "Z");
  return fileResponse(mediaFile(mediaDir(), clip.path), req, {
    contentType: "video/mp4",
    downloadName: download ? `${event.cameraName}-${stamp}-${clip.sequence}.mp4` : undefined,
  });
});
