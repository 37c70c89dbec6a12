// POST /api/cameras/:id/privacy { enabled } — privacy mode on or off: no recording and no live view until it is off.
// Admins always; members too when the household allows it, for cameras they may see; viewers never.
import { z } from "zod";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { existingLiveIngestManager } from "@/lib/live/live";
import { setPrivacyMode } from "@/lib/privacy/privacy-mode";

type Params = { id: string };
const body = z.object({ enabled: z.boolean() });

export const POST = route<typeof body, Params>(
  {
    access: { permission: "video:watch" },
    body,
    activity: ({ params, body }) => ({ action: "camera.privacy_mode", cameraId: params.id, data: { enabled: body.enabled } }),
  },
  async ({ viewer, params, body }) => {
    const result = await setPrivacyMode(await db(), viewer, params.id, body.enabled);
    // Live video stops at once, not at the viewer's next playlist request (the recorder stops within its poll, 2 s).
    if (body.enabled) existingLiveIngestManager()?.stopCamera(params.id, "privacy mode");
    return result;
  },
);
