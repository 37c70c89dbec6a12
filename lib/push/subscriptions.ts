// A member's Web Push subscriptions (PushSubscription rows): validating what a browser's pushManager.subscribe() gave,
// storing it, listing and removing a member's devices. The endpoint belongs to the browser's maker (FCM, Mozilla
// autopush, Apple, WNS); Nightjar POSTs encrypted messages to it (send.ts) and to nothing else.
//
// Endpoint rule: https only, a DNS host name with a dot (no IP address, no "localhost", no user info), at most
// MAX_ENDPOINT_CHARS. Every real push service looks like that, and it keeps a member from pointing the server's POSTs
// at the household's own network. Tests of the sending path call addPushSubscription with `allowLoopbackHttp` to reach
// their receiving server on 127.0.0.1; no route sets it.
import crypto from "node:crypto";
import net from "node:net";
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";
import { newId } from "../ids";

/** Longest endpoint accepted, characters (real ones are 150–500). */
export const MAX_ENDPOINT_CHARS = 2048;
/** Devices one member may subscribe; the oldest is replaced beyond it. */
export const MAX_SUBSCRIPTIONS_PER_MEMBER = 20;
/** Longest device label kept, characters. */
const MAX_LABEL_CHARS = 60;

/** The body of POST /api/account/push/subscriptions: PushSubscription.toJSON() as the browser gives it. */
export const pushSubscriptionBody = z.object({
  endpoint: z.string().min(1, "required").max(MAX_ENDPOINT_CHARS, "too_big"),
  keys: z.object({
    p256dh: z.string().min(1, "required").max(200, "too_big"),
    auth: z.string().min(1, "required").max(100, "too_big"),
  }),
  expirationTime: z.number().nullish(),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionBody>;

export type PushDeviceJson = { id: string; endpoint: string; label: string | null; createdAt: string; lastOkAt: string | null };

/** Why an endpoint is refused (a field error code), or null when it is acceptable. */
export function endpointProblem(endpoint: string, options: { allowLoopbackHttp?: boolean } = {}): string | null {
  if (endpoint.length > MAX_ENDPOINT_CHARS) return "too_big";
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "invalid_url";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (options.allowLoopbackHttp && url.protocol === "http:" && (host === "127.0.0.1" || host === "localhost" || host === "::1")) return null;
  if (url.protocol !== "https:") return "invalid_url";
  if (url.username || url.password) return "url_credentials";
  if (net.isIP(host) || !host.includes(".") || host === "localhost" || host.endsWith(".localhost")) return "invalid_url";
  return null;
}

/** The key bytes (base64url, padding tolerated), or null when not base64url. */
function decodeKey(text: string): Buffer | null {
  const bare = text.replace(/=+$/, "");
  return /^[A-Za-z0-9_-]+$/.test(bare) ? Buffer.from(bare, "base64url") : null;
}

/** The keys checked: p256dh an uncompressed point on P-256 (65 bytes), auth 16 bytes; field → code of each problem. */
export function keyProblems(keys: { p256dh: string; auth: string }): Record<string, string> {
  const problems: Record<string, string> = {};
  const point = decodeKey(keys.p256dh);
  if (!point || point.length !== 65 || point[0] !== 0x04 || !isOnCurve(point)) problems["keys.p256dh"] = "invalid";
  const auth = decodeKey(keys.auth);
  if (!auth || auth.length !== 16) problems["keys.auth"] = "invalid";
  return problems;
}

function isOnCurve(point: Buffer): boolean {
  try {
    const ecdh = crypto.createECDH("prime256v1");
    ecdh.generateKeys();
    ecdh.computeSecret(point); // throws for a point not on the curve
    return true;
  } catch {
    return false;
  }
}

/**
 * A short, language-neutral device label from the User-Agent ("Firefox · Android"), or null. Only the browser's
 * family and the system are kept: no version, no device model.
 */
export function deviceLabel(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent;
  const browser = /Edg(?:e|A|iOS)?\//.test(ua)
    ? "Edge"
    : /OPR\/|Opera/.test(ua)
      ? "Opera"
      : /SamsungBrowser\//.test(ua)
        ? "Samsung Internet"
        : /Firefox\/|FxiOS\//.test(ua)
          ? "Firefox"
          : /Chrome\/|CriOS\/|Chromium\//.test(ua)
            ? "Chrome"
            : /Safari\//.test(ua)
              ? "Safari"
              : null;
  const system = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  const label = [browser, system].filter(Boolean).join(" · ");
  return label ? label.slice(0, MAX_LABEL_CHARS) : null;
}

function toJson(row: { id: string; endpoint: string; label: string | null; createdAt: Date; lastOkAt: Date | null }): PushDeviceJson {
  return { id: row.id, endpoint: row.endpoint, label: row.label, createdAt: row.createdAt.toISOString(), lastOkAt: row.lastOkAt?.toISOString() ?? null };
}

/**
 * Stores a browser's subscription for the member. The same endpoint again (the browser subscribed anew, or another
 * member signed in on that browser) updates the keys and moves it to this member: one browser profile, one owner.
 * Beyond MAX_SUBSCRIPTIONS_PER_MEMBER the member's oldest are removed. Throws AppError("validation") with field codes.
 */
export async function addPushSubscription(
  db: Db,
  userId: string,
  input: PushSubscriptionInput,
  options: { userAgent?: string | null; now?: Date; allowLoopbackHttp?: boolean } = {},
): Promise<PushDeviceJson> {
  const fields: Record<string, string> = {};
  const endpointCode = endpointProblem(input.endpoint, options);
  if (endpointCode) fields.endpoint = endpointCode;
  Object.assign(fields, keyProblems(input.keys));
  if (Object.keys(fields).length > 0) throw new AppError("validation", {}, fields);
  const p256dh = input.keys.p256dh.replace(/=+$/, "");
  const auth = input.keys.auth.replace(/=+$/, "");
  const label = deviceLabel(options.userAgent);
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const row = await tx.pushSubscription.upsert({
      where: { endpoint: input.endpoint },
      create: { id: newId(), userId, endpoint: input.endpoint, p256dh, auth, label, createdAt: now },
      update: { userId, p256dh, auth, label, createdAt: now, lastOkAt: null },
    });
    const mine = await tx.pushSubscription.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    const surplus = mine.slice(MAX_SUBSCRIPTIONS_PER_MEMBER).map((r) => r.id);
    if (surplus.length > 0) await tx.pushSubscription.deleteMany({ where: { id: { in: surplus } } });
    return toJson(row);
  });
}

/** The member's devices, newest first. */
export async function listPushDevices(db: Db, userId: string): Promise<PushDeviceJson[]> {
  const rows = await db.pushSubscription.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return rows.map(toJson);
}

/** Removes one of the member's devices; another member's or an unknown id: not_found. */
export async function removePushDevice(db: Db, userId: string, id: string): Promise<void> {
  const { count } = await db.pushSubscription.deleteMany({ where: { id, userId } });
  if (count === 0) throw new AppError("not_found");
}
