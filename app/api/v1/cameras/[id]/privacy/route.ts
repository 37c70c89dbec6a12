// PUT /api/v1/cameras/:id/privacy { enabled } — privacy mode on or off (lib/privacy/privacy-mode.ts decides who may;
// lib/api/operations.ts setPrivacyMode).
import { putPrivacy } from "@/lib/api/operations";
import { privacySchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { existingLiveIngestManager } from "@/lib/live/live";
import { setPrivacyMode } from "@/lib/privacy/privacy-mode";

type Params = { id: string };

export const PUT = route<typeof putPrivacy.body, Params>(
  { access: putPrivacy.access, body: putPrivacy.body, activity: ({ params, body }) => ({ action: "camera.privacy_mode", cameraId: params.id, data: { enabled: body.enabled } }) },
  async ({ viewer, params, body }) => {
    const result = await setPrivacyMode(await db(), viewer, params.id, body.enabled);
    // Live video stops at once, as with the app's switch.
    if (body.enabled) existingLiveIngestManager()?.stopCamera(params.id, "privacy mode");
    return privacySchema.parse({ cameraId: result.id, privacyMode: result.privacyMode });
  },
);
