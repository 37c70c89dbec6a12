// GET /api/v1/webhooks — the household's webhook endpoints. POST — add one: the URL is checked (http(s), no
// credentials, the host resolves) and the signing secret is returned this once (lib/api/operations.ts; admins, token
// scope household:manage; Settings → Webhooks calls these with its session).
import { createWebhook, listWebhooks } from "@/lib/api/operations";
import { webhookCreatedSchema, webhookEndpointListSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";

export const GET = route({ access: listWebhooks.access }, async () => webhookEndpointListSchema.parse({ endpoints: await listWebhookEndpoints(await db()) }));

export const POST = route(
  {
    access: createWebhook.access,
    body: createWebhook.body,
    successStatus: 201,
    activity: ({ body, result }) => ({ action: "webhook.created", targetId: (result as { endpoint: { id: string } }).endpoint.id, data: { eventTypes: body.eventTypes } }),
  },
  async ({ viewer, body }) => webhookCreatedSchema.parse(await createWebhookEndpoint(await db(), viewer.id, body)),
);
