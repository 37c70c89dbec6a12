// GET /api/webhooks/:id — one endpoint (admins; tokens with scope household:manage). PATCH — change its URL,
// description, event types, or enable/disable it. DELETE — remove it and its delivery log.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { updateWebhookBody } from "@/lib/webhooks/api";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";

const access = { permission: "household:manage", token: "household:manage" } as const;
type Params = { id: string };

export const GET = route<undefined, Params>({ access }, async ({ params }) => ({ endpoint: await getWebhookEndpoint(await db(), params.id) }));

export const PATCH = route<typeof updateWebhookBody, Params>(
  {
    access,
    body: updateWebhookBody,
    // Field names only (and the new enabled state): the URL may hold a receiver's token.
    activity: ({ params, body, result }) => ({ action: "webhook.changed", targetId: params.id, data: { changed: (result as { changed: string[] }).changed, ...(body.enabled !== undefined ? { enabled: body.enabled } : {}) } }),
  },
  async ({ params, body }) => updateWebhookEndpoint(await db(), params.id, body),
);

export const DELETE = route<undefined, Params>({ access, activity: ({ params }) => ({ action: "webhook.deleted", targetId: params.id }) }, async ({ params }) => {
  await deleteWebhookEndpoint(await db(), params.id);
  return { ok: true };
});
