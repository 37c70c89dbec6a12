// GET /api/v1/events/:id/photo[?size=thumb] — the event photo or its thumbnail, JPEG (lib/api/operations.ts getEventPhoto).
import { getPhoto } from "@/lib/api/operations";
import { readQuery } from "@/lib/api/request";
import { photoQuery } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requirePhotoFile } from "@/lib/events/media";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getPhoto.access }, async ({ viewer, params, req }) => {
  const { size } = readQuery(req, photoQuery);
  const { file } = await requirePhotoFile(await db(), getEnv().dataDir, viewer, params.id, size === "thumb" ? "thumb" : "full");
  return fileResponse(file, req, { contentType: "image/jpeg" });
});
