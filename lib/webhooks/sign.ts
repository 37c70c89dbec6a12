// Standard Webhooks signing (https://www.standardwebhooks.com/): the secret is "whsec_" + base64 of 32 random bytes;
// each request carries webhook-id (the message id, the same for every attempt), webhook-timestamp (seconds since
// 1970, of this attempt) and webhook-signature "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>" keyed
// with the base64-decoded part of the secret after "whsec_".
import crypto from "node:crypto";

export const SECRET_PREFIX = "whsec_";
/** Random bytes in a generated secret. */
export const SECRET_BYTES = 32;

/** A new signing secret: "whsec_" + base64(32 random bytes). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(SECRET_BYTES).toString("base64");
}

/** A message id ("msg_" + 16 random bytes, base64url): WebhookDelivery.id and the webhook-id header. */
export function newMessageId(): string {
  return `msg_${crypto.randomBytes(16).toString("base64url")}`;
}

/** The HMAC key of a secret: the base64-decoded part after "whsec_" (a secret without the prefix is decoded whole). */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(b64, "base64");
  if (key.length === 0) throw new Error("empty webhook secret");
  return key;
}

/** The webhook-signature value: "v1," + base64 HMAC-SHA256 of `${msgId}.${timestampSeconds}.${body}`. */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const mac = crypto.createHmac("sha256", secretKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one attempt at `at`. */
export function webhookHeaders(secret: string, msgId: string, at: Date, body: string): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { "webhook-id": msgId, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook(secret, msgId, timestamp, body) };
}
