// GET /api/account/exports — my data exports (status, progress, expiry). POST — ask for a new export of my data
// ({ from?, to?, cameraIds? }); the scheduler worker prepares it (lib/privacy/export-runner.ts).
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { createExportJob, exportRequestSchema, listExportJobs, type ExportJobView } from "@/lib/privacy/export-jobs";
import { MIB } from "@/lib/i18n/format";
import { getEnv } from "@/lib/env";

export const GET = route({ access: {} }, async ({ viewer }) => ({ jobs: await listExportJobs(await db(), viewer.id, new Date()) }));

export const POST = route(
  {
    access: {},
    body: exportRequestSchema,
    activity: ({ result }) => {
      const job = (result as { job: ExportJobView }).job;
      return { action: "export.create", targetId: job.id, data: { from: job.filters.from ?? null, to: job.filters.to ?? null, cameras: job.filters.cameraIds?.length ?? null } };
    },
  },
  async ({ viewer, body }) => {
    const env = getEnv();
    return { job: await createExportJob(await db(), viewer, body, new Date(), { dataDir: env.dataDir, floorBytes: env.MEDIA_MIN_FREE_MB * MIB }) };
  },
);
