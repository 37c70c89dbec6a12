// The request bodies of /api/webhooks (zod): one source for the routes' validation and the API document.
import { z } from "zod";
import { MAX_DESCRIPTION_CHARS } from "./endpoints";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { MAX_WEBHOOK_URL_CHARS } from "./url";

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);

/** POST /api/webhooks. */
export const createWebhookBody = z.object({
  /** http(s), no user name or password; the host must resolve when saved. */
  url: z.string().max(MAX_WEBHOOK_URL_CHARS),
  description: z.string().max(MAX_DESCRIPTION_CHARS).nullish(),
  eventTypes,
});

/** PATCH /api/webhooks/:id: any of the fields; enabling starts afresh, disabling fails what is still queued. */
export const updateWebhookBody = z
  .object({
    url: z.string().max(MAX_WEBHOOK_URL_CHARS).optional(),
    description: z.string().max(MAX_DESCRIPTION_CHARS).nullish(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined));
