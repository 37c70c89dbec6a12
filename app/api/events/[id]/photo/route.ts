// GET /api/events/:id/photo[?size=thumb] — the event photo or its thumbnail (JPEG), for members who may see the
// camera. A photo whose file is missing answers 404 and its row is cleaned up (lib/events/media.ts).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requirePhotoFile } from "@/lib/events/media";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";

export const GET = route<undefined, { id: string }>({ access: { permission: "video:watch" } }, async ({ viewer, params, req }) => {
  const size = new URL(req.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const { file } = await requirePhotoFile(await db(), getEnv().dataDir, viewer, params.id, size);
  return fileResponse(file, req, { contentType: "image/jpeg" });
});
