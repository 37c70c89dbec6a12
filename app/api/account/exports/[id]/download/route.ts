// GET /api/account/exports/:id/download — the ZIP of one of my exports, streamed (range requests resume a broken
// download). 409 export_not_ready before it is ready, 410 export_expired after its 24 hours.
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { fileResponse } from "@/lib/http/file-response";
import { route } from "@/lib/http/route";
import { requireDownloadableExport } from "@/lib/privacy/export-jobs";

type Params = { id: string };

export const GET = route<undefined, Params>(
  {
    access: {},
    // One record per download, not per range request of a resumed one.
    activity: ({ req, params }) => (req.method === "GET" && /^(bytes=0-.*)?$/.test(req.headers.get("range") ?? "") ? { action: "export.download", targetId: params.id } : null),
  },
  async ({ viewer, params, req }) => {
    const now = new Date();
    const { file, createdAt } = await requireDownloadableExport(await db(), getEnv().dataDir, viewer.id, params.id, now);
    return fileResponse(file, req, { contentType: "application/zip", downloadName: `nightjar-export-${createdAt.toISOString().slice(0, 10)}.zip` });
  },
);
