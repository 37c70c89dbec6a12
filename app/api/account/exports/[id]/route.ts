// GET /api/account/exports/:id — one of my exports. DELETE — remove it (its file too; a running one stops).
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { route } from "@/lib/http/route";
import { deleteExportJob, getExportJob } from "@/lib/privacy/export-jobs";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: {} }, async ({ viewer, params }) => ({ job: await getExportJob(await db(), viewer.id, params.id, new Date()) }));

export const DELETE = route<undefined, Params>({ access: {} }, async ({ viewer, params }) => {
  await deleteExportJob(await db(), getEnv().dataDir, viewer.id, params.id);
  return { ok: true };
});
