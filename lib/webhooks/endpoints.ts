// Webhook endpoints, managed by admins (Settings → Webhooks, /api/v1/webhooks): create (the URL checked, a secret
// generated and sealed), change (URL, description, event types, enable/disable), delete, reveal and rotate the secret,
// queue a test message, and read the delivery log. The secret leaves the server only to the admin who asks for it.
import type { Db } from "../db";
import { AppError } from "../errors";
import { getSecrets, openSecret, sealSecret } from "../secrets";
import { parseEventTypes } from "./emit";
import { TEST_EVENT_TYPE, webhookBody, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./events";
import { generateWebhookSecret, newMessageId } from "./sign";
import { checkWebhookUrl, webhookHost, type LookupFn } from "./url";

/** Longest description, characters. */
export const MAX_DESCRIPTION_CHARS = 200;
/** Delivery log rows per page. */
export const DELIVERY_PAGE = 50;

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  /** "failing" when Nightjar disabled it after repeated failure; null otherwise. */
  disabledReason: string | null;
  disabledAt: string | null;
  failureStreak: number;
  createdAt: string;
  lastDelivery: { status: string; eventType: string; at: string; responseStatus: number | null } | null;
};

export type WebhookDeliveryView = {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  responseStatus: number | null;
  latencyMs: number | null;
  error: string | null;
};

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  failureStreak: number;
  createdAt: Date;
};

const ENDPOINT_SELECT = { id: true, url: true, description: true, eventTypes: true, enabled: true, disabledReason: true, disabledAt: true, failureStreak: true, createdAt: true } as const;

function knownTypes(json: string): WebhookEventType[] {
  const types = parseEventTypes(json);
  return WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t));
}

async function lastDeliveryOf(db: Db, endpointId: string): Promise<WebhookEndpointView["lastDelivery"]> {
  const d = await db.webhookDelivery.findFirst({ where: { endpointId }, orderBy: { createdAt: "desc" }, select: { status: true, eventType: true, createdAt: true, lastAttemptAt: true, responseStatus: true } });
  return d ? { status: d.status, eventType: d.eventType, at: (d.lastAttemptAt ?? d.createdAt).toISOString(), responseStatus: d.responseStatus } : null;
}

async function toView(db: Db, e: EndpointRow): Promise<WebhookEndpointView> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: knownTypes(e.eventTypes),
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    failureStreak: e.failureStreak,
    createdAt: e.createdAt.toISOString(),
    lastDelivery: await lastDeliveryOf(db, e.id),
  };
}

export async function listWebhookEndpoints(db: Db): Promise<WebhookEndpointView[]> {
  const rows = await db.webhookEndpoint.findMany({ select: ENDPOINT_SELECT, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return Promise.all(rows.map((r) => toView(db, r)));
}

export async function getWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpointView> {
  const row = await db.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_SELECT });
  if (!row) throw new AppError("not_found");
  return toView(db, row);
}

/** The URL rule (url.ts) as a field error of the form's "url" field. */
async function requireWebhookUrl(raw: string, lookup?: LookupFn): Promise<string> {
  const checked = await checkWebhookUrl(raw, lookup);
  if (!checked.ok) throw new AppError("validation", {}, { url: checked.problem });
  return checked.url;
}

function requireEventTypes(types: readonly string[]): WebhookEventType[] {
  const chosen = WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t));
  if (!chosen.length || chosen.length !== new Set(types).size) throw new AppError("validation", {}, { eventTypes: chosen.length ? "invalid_value" : "too_small" });
  return chosen;
}

function cleanDescription(text: string | null | undefined): string | null {
  const d = text?.trim() ?? "";
  return d ? d.slice(0, MAX_DESCRIPTION_CHARS) : null;
}

export type CreateWebhookInput = { url: string; description?: string | null; eventTypes: readonly string[] };
export type WebhookOptions = { lookup?: LookupFn; credentialsKey?: Buffer; now?: Date };

/** Adds an endpoint; returns it and its secret (shown to the admin now; "Reveal secret" shows it again). */
export async function createWebhookEndpoint(db: Db, createdById: string | null, input: CreateWebhookInput, options: WebhookOptions = {}): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const eventTypes = requireEventTypes(input.eventTypes);
  const url = await requireWebhookUrl(input.url, options.lookup);
  const secret = generateWebhookSecret();
  const row = await db.webhookEndpoint.create({
    data: {
      id: newWebhookEndpointId(),
      url,
      description: cleanDescription(input.description),
      eventTypes: JSON.stringify(eventTypes),
      secretEnc: sealSecret(secret, options.credentialsKey ?? getSecrets().credentialsKey),
      createdById,
    },
    select: ENDPOINT_SELECT,
  });
  return { endpoint: await toView(db, row), secret };
}

function newWebhookEndpointId(): string {
  return `ep_${newMessageId().slice(4)}`;
}

export type UpdateWebhookInput = { url?: string; description?: string | null; eventTypes?: readonly string[]; enabled?: boolean };

/**
 * Changes an endpoint. Enabling starts afresh (no failure streak, no reason); disabling stops its pending messages
 * (they become "failed": nothing is sent to a disabled endpoint, "Send test" excepted). Returns what changed (for the
 * activity record: field names only).
 */
export async function updateWebhookEndpoint(db: Db, id: string, input: UpdateWebhookInput, options: WebhookOptions = {}): Promise<{ endpoint: WebhookEndpointView; changed: string[] }> {
  const current = await db.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_SELECT });
  if (!current) throw new AppError("not_found");
  const data: Record<string, unknown> = {};
  if (input.url !== undefined) {
    const url = await requireWebhookUrl(input.url, options.lookup);
    if (url !== current.url) data.url = url;
  }
  if (input.description !== undefined && cleanDescription(input.description) !== current.description) data.description = cleanDescription(input.description);
  if (input.eventTypes !== undefined) {
    const types = JSON.stringify(requireEventTypes(input.eventTypes));
    if (types !== JSON.stringify(knownTypes(current.eventTypes))) data.eventTypes = types;
  }
  const now = options.now ?? new Date();
  if (input.enabled !== undefined && input.enabled !== current.enabled) {
    Object.assign(data, input.enabled ? { enabled: true, disabledReason: null, disabledAt: null, failureStreak: 0, failingSince: null } : { enabled: false, disabledReason: null, disabledAt: now });
  }
  const changed = Object.keys(data).filter((k) => ["url", "description", "eventTypes", "enabled"].includes(k));
  if (changed.length) {
    await db.$transaction(async (tx) => {
      await tx.webhookEndpoint.update({ where: { id }, data });
      if (data.enabled === false) await tx.webhookDelivery.updateMany({ where: { endpointId: id, status: "pending", eventType: { not: TEST_EVENT_TYPE } }, data: { status: "failed", error: "endpoint disabled" } });
    });
  }
  return { endpoint: await getWebhookEndpoint(db, id), changed };
}

/** Deletes an endpoint and its delivery log. */
export async function deleteWebhookEndpoint(db: Db, id: string): Promise<void> {
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id } });
  if (!count) throw new AppError("not_found");
}

/** The endpoint's signing secret, for the admin who asked ("Reveal secret"). */
export async function revealWebhookSecret(db: Db, id: string, options: WebhookOptions = {}): Promise<string> {
  const row = await db.webhookEndpoint.findUnique({ where: { id }, select: { secretEnc: true } });
  if (!row) throw new AppError("not_found");
  return openSecret(row.secretEnc, options.credentialsKey ?? getSecrets().credentialsKey);
}

/** A new secret; every attempt from now on (pending retries too) is signed with it. */
export async function rotateWebhookSecret(db: Db, id: string, options: WebhookOptions = {}): Promise<string> {
  const secret = generateWebhookSecret();
  const { count } = await db.webhookEndpoint.updateMany({ where: { id }, data: { secretEnc: sealSecret(secret, options.credentialsKey ?? getSecrets().credentialsKey) } });
  if (!count) throw new AppError("not_found");
  return secret;
}

/** Queues a "webhook.test" message to this endpoint only (also when it is disabled: to check it before enabling). */
export async function queueTestDelivery(db: Db, id: string, options: WebhookOptions = {}): Promise<{ deliveryId: string }> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { id: true } });
  if (!endpoint) throw new AppError("not_found");
  const now = options.now ?? new Date();
  const deliveryId = newMessageId();
  const payload = webhookBody(TEST_EVENT_TYPE, { endpointId: id, message: "A test message from Nightjar." }, now);
  await db.webhookDelivery.create({ data: { id: deliveryId, endpointId: id, eventType: TEST_EVENT_TYPE, payload, status: "pending", nextAttemptAt: now, createdAt: now } });
  return { deliveryId };
}

/** The endpoint's delivery log, newest first, DELIVERY_PAGE rows before `before` (a createdAt, exclusive). */
export async function listWebhookDeliveries(db: Db, id: string, options: { before?: Date; limit?: number } = {}): Promise<WebhookDeliveryView[]> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id }, select: { id: true } });
  if (!endpoint) throw new AppError("not_found");
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: id, ...(options.before ? { createdAt: { lt: options.before } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? DELIVERY_PAGE, 200),
  });
  return rows.map((d) => ({
    id: d.id,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    responseStatus: d.responseStatus,
    latencyMs: d.latencyMs,
    error: d.error,
  }));
}

/** What the data statement says of each endpoint: where data goes and which types (no URL path: it may hold a token). */
export async function listWebhookDestinations(db: Db): Promise<{ id: string; host: string; enabled: boolean; eventTypes: WebhookEventType[] }[]> {
  const rows = await db.webhookEndpoint.findMany({ select: { id: true, url: true, enabled: true, eventTypes: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ id: r.id, host: webhookHost(r.url), enabled: r.enabled, eventTypes: knownTypes(r.eventTypes) }));
}
