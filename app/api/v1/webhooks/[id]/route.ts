// GET /api/v1/webhooks/:id — one endpoint. PATCH — change its URL, description, event types, or enable/disable it.
// DELETE — remove it and its delivery log (lib/api/operations.ts; admins, token scope household:manage).
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/api/operations";
import { deletedSchema, webhookEndpointOneSchema, webhookUpdatedSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";

type Params = { id: string };

export const GET = route<undefined, Params>({ access: getWebhook.access }, async ({ params }) => webhookEndpointOneSchema.parse({ endpoint: await getWebhookEndpoint(await db(), params.id) }));

export const PATCH = route<typeof updateWebhook.body, Params>(
  {
    access: updateWebhook.access,
    body: updateWebhook.body,
    // Field names only (and the new enabled state): the URL may hold a receiver's token.
    activity: ({ params, body, result }) => ({ action: "webhook.changed", targetId: params.id, data: { changed: (result as { changed: string[] }).changed, ...(body.enabled !== undefined ? { enabled: body.enabled } : {}) } }),
  },
  async ({ params, body }) => webhookUpdatedSchema.parse(await updateWebhookEndpoint(await db(), params.id, body)),
);

export const DELETE = route<undefined, Params>({ access: deleteWebhook.access, activity: ({ params }) => ({ action: "webhook.deleted", targetId: params.id }) }, async ({ params }) => {
  await deleteWebhookEndpoint(await db(), params.id);
  return deletedSchema.parse({ ok: true });
});
