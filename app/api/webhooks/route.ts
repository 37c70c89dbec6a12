// GET /api/webhooks — the household's webhook endpoints (admins; tokens with scope household:manage). POST — add one:
// the URL is checked (http(s), no credentials, the host resolves) and the signing secret is returned this once.
import { db } from "@/lib/db";
import { route } from "@/lib/http/route";
import { createWebhookBody } from "@/lib/webhooks/api";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";

const access = { permission: "household:manage", token: "household:manage" } as const;

export const GET = route({ access }, async () => ({ endpoints: await listWebhookEndpoints(await db()) }));

export const POST = route(
  {
    access,
    body: createWebhookBody,
    successStatus: 201,
    activity: ({ body, result }) => ({ action: "webhook.created", targetId: (result as { endpoint: { id: string } }).endpoint.id, data: { eventTypes: body.eventTypes } }),
  },
  async ({ viewer, body }) => createWebhookEndpoint(await db(), viewer.id, body),
);
