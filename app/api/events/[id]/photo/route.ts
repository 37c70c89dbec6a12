// GET /api/events/:id/photo?size=thumb — the event photo (JPEG), for members who may see the camera.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mediaFile, requireEventAccess } from "@/lib/events/events";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";
import { mediaDir } from "@/lib/media";

export const GET = route<undefined, { id: string }>({ access: { permission: "video:watch" } }, async ({ viewer, params, req }) => {
  const event = await requireEventAccess(await db(), viewer, params.id);
  if (!event.photo) throw new AppError("not_found");
  const thumb = new URL(req.url).searchParams.get("size") === "thumb";
  return fileResponse(mediaFile(mediaDir(), thumb ? event.photo.thumbPath : event.photo.path), req, { contentType: "image/jpeg", cacheControl: "private, max-age=86400, immutable" });
});
