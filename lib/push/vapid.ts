// VAPID (RFC 8292): the key pair that identifies this Nightjar to push services, and the signed JWT each push request
// carries (`Authorization: vapid t=<jwt>, k=<public key>`). The private key is a secret of the data folder
// (lib/secrets.ts readOrCreateVapidKey: generated on first start, or VAPID_PRIVATE_KEY); the public key is derived from
// it and handed to browsers as the subscription's applicationServerKey. node:crypto only.
import crypto from "node:crypto";
import { getEnv } from "../env";
import { readOrCreateVapidKey } from "../secrets";

/** A JWT's lifetime, s. RFC 8292 §2: at most 24 h after the request; 12 h leaves room for a skewed push service clock. */
export const VAPID_JWT_SECONDS = 12 * 60 * 60;

export type VapidKeys = {
  /** ES256 signing key. */
  privateKey: crypto.KeyObject;
  /** The uncompressed P-256 point (65 bytes, 0x04 ‖ x ‖ y), base64url: the `k=` parameter and the browser's applicationServerKey. */
  publicKey: string;
};

const cache = new Map<string, VapidKeys>();

/** The key pair from the private scalar d (32 bytes base64url). */
export function vapidKeysFromPrivate(d: string): VapidKeys {
  const cached = cache.get(d);
  if (cached) return cached;
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(d, "base64url"));
  const point = ecdh.getPublicKey(); // uncompressed, 65 bytes
  const jwk = { kty: "EC", crv: "P-256", d, x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") };
  const keys = { privateKey: crypto.createPrivateKey({ key: jwk, format: "jwk" }), publicKey: point.toString("base64url") };
  cache.set(d, keys);
  return keys;
}

/** This Nightjar's VAPID keys (created in $DATA_DIR/secrets on first use when scripts/start.ts has not yet). */
export function loadVapidKeys(dataDir: string): VapidKeys {
  return vapidKeysFromPrivate(readOrCreateVapidKey(dataDir));
}

/** The `sub` claim: VAPID_SUBJECT, else PUBLIC_URL (a contact for the push service's operator; RFC 8292 §2.1). */
export function vapidSubject(): string {
  const env = getEnv();
  return env.VAPID_SUBJECT ?? env.publicUrl;
}

/** The audience of a push endpoint: its origin (scheme, host, port), RFC 8292 §2. */
export function vapidAudience(endpoint: string): string {
  return new URL(endpoint).origin;
}

/** An ES256 JWT { aud, exp, sub } signed with the VAPID key; exp = now + VAPID_JWT_SECONDS. */
export function vapidJwt(keys: VapidKeys, audience: string, subject: string, now: Date): string {
  const header = Buffer.from(JSON.stringify({ typ: "JWT", alg: "ES256" })).toString("base64url");
  const claims = Buffer.from(JSON.stringify({ aud: audience, exp: Math.floor(now.getTime() / 1000) + VAPID_JWT_SECONDS, sub: subject })).toString("base64url");
  const input = `${header}.${claims}`;
  // JWS ES256 signatures are r ‖ s (64 bytes), not DER (RFC 7518 §3.4).
  const signature = crypto.sign("sha256", Buffer.from(input), { key: keys.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** The Authorization header of a push request to `endpoint` (RFC 8292 §3). */
export function vapidAuthorization(keys: VapidKeys, endpoint: string, subject: string, now: Date): string {
  return `vapid t=${vapidJwt(keys, vapidAudience(endpoint), subject, now)}, k=${keys.publicKey}`;
}
