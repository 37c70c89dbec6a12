// GET /api/cameras/:id/timelapse — the camera's timelapse settings { enabled, intervalSeconds } (admins). PUT — change
// them (interval: whole seconds, TIMELAPSE_MIN_INTERVAL_S–TIMELAPSE_MAX_INTERVAL_S); the recorder takes them over
// without a new ingest.
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { TIMELAPSE_MAX_INTERVAL_S, TIMELAPSE_MIN_INTERVAL_S } from "@/lib/timelapse/settings";
import { readTimelapseSettings, updateTimelapseSettings } from "@/lib/timelapse/timelapses";

type Params = { id: string };
const body = z.object({ enabled: z.boolean(), intervalSeconds: z.number().int().min(TIMELAPSE_MIN_INTERVAL_S).max(TIMELAPSE_MAX_INTERVAL_S) });

export const GET = route<undefined, Params>({ access: { permission: "cameras:manage" } }, async ({ params }) => readTimelapseSettings(await db(), params.id));

export const PUT = route<typeof body, Params>(
  {
    access: { permission: "cameras:manage" },
    body,
    activity: ({ params, body }) => ({ action: "camera.timelapse_changed", cameraId: params.id, data: { enabled: body.enabled, intervalSeconds: body.intervalSeconds } }),
  },
  async ({ params, body }) => updateTimelapseSettings(await db(), params.id, body),
);
