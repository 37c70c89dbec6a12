// WS-Security UsernameToken with PasswordDigest, as ONVIF uses it: digest = base64(sha1(nonce + created + password)).
// Client side builds tokens (injectable nonce and clock); server side (the simulator) verifies them and refuses replays.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { systemClock, type Clock } from "../clock";
import { escapeXml, textAt, textOf, childAt, attrOf, type XmlNode } from "./xml";

const PASSWORD_DIGEST_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/** Nonce length in bytes (WS-Security suggests ≥ 16). */
export const NONCE_BYTES = 16;
/** How far a token's Created may be from the verifier's clock, either way, in ms. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What goes on the wire. `created` is UTC ISO-8601 without fractional seconds, e.g. "2026-01-01T00:00:00Z". */
export type UsernameToken = { username: string; nonceBase64: string; created: string; passwordDigest: string };

/** base64(sha1(nonce bytes ‖ UTF-8 created ‖ UTF-8 password)). */
export function computePasswordDigest(nonce: Uint8Array, created: string, password: string): string {
  return createHash("sha1").update(nonce).update(created, "utf8").update(password, "utf8").digest("base64");
}

/** ISO-8601 UTC with whole seconds: some cameras reject fractional seconds in Created. */
export function formatCreated(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A fresh token. `clockOffsetMs` shifts Created onto the camera's clock (camera time − our time, from
 * GetSystemDateAndTime) so a camera whose clock is off still accepts us.
 */
export function createUsernameToken(opts: { username: string; password: string; clock?: Clock; nonce?: Uint8Array; clockOffsetMs?: number }): UsernameToken {
  const nonce = opts.nonce ?? randomBytes(NONCE_BYTES);
  const created = formatCreated(new Date((opts.clock ?? systemClock).now().getTime() + (opts.clockOffsetMs ?? 0)));
  return { username: opts.username, nonceBase64: Buffer.from(nonce).toString("base64"), created, passwordDigest: computePasswordDigest(nonce, created, opts.password) };
}

/** The wsse:Security header block (prefixes wsse/wsu must be declared on the envelope, as buildEnvelope does). */
export function buildSecurityHeader(t: UsernameToken): string {
  return (
    `<wsse:Security s:mustUnderstand="1"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(t.username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST_TYPE}">${escapeXml(t.passwordDigest)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${escapeXml(t.nonceBase64)}</wsse:Nonce>` +
    `<wsu:Created>${escapeXml(t.created)}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}

/** Reads a UsernameToken from a parsed SOAP Header; `null` when absent or not a digest token. */
export function readUsernameToken(header: XmlNode | undefined): UsernameToken | null {
  const ut = childAt(header, "Security", "UsernameToken");
  if (ut === undefined) return null;
  const username = textOf(childAt(ut, "Username"));
  const password = childAt(ut, "Password");
  const nonceBase64 = textAt(ut, "Nonce");
  const created = textAt(ut, "Created");
  const type = attrOf(password, "Type");
  if (username === undefined || nonceBase64 === undefined || created === undefined) return null;
  // A missing Type means PasswordText, which ONVIF devices must not accept.
  if (!type || !type.endsWith("#PasswordDigest")) return null;
  return { username, nonceBase64, created, passwordDigest: textOf(password)?.trim() ?? "" };
}

/**
 * Remembers nonces until their token can no longer be fresh (Created + skew), so a captured request cannot be
 * replayed. Bounded: when `maxEntries` live nonces are held, new tokens are refused rather than old nonces forgotten.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>(); // nonce → forget after (ms since epoch)
  constructor(readonly maxEntries = 10_000) {}

  /** false if the nonce was seen (a replay) or the cache is full; true after recording it. */
  remember(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    for (const [n, exp] of this.seen) if (exp < nowMs) this.seen.delete(n);
    if (this.seen.has(nonce)) return false;
    if (this.seen.size >= this.maxEntries) return false;
    this.seen.set(nonce, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

export type TokenVerdict = { ok: true } | { ok: false; reason: "missing" | "unknown_user" | "bad_digest" | "stale" | "replay" | "malformed" };

/**
 * Server-side check of a token against the one account a device has. Order: shape, user, digest, freshness
 * (|Created − now| ≤ maxSkewMs), then the nonce (only remembered for tokens that were otherwise valid).
 */
export function verifyUsernameToken(
  token: UsernameToken | null,
  opts: { username: string; password: string; now: Date; nonces: NonceCache; maxSkewMs?: number },
): TokenVerdict {
  if (!token) return { ok: false, reason: "missing" };
  const nonce = Buffer.from(token.nonceBase64, "base64");
  const createdMs = Date.parse(token.created);
  if (nonce.length < 8 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(token.created) || Number.isNaN(createdMs)) {
    return { ok: false, reason: "malformed" };
  }
  if (token.username !== opts.username) return { ok: false, reason: "unknown_user" };
  const expected = Buffer.from(computePasswordDigest(nonce, token.created, opts.password), "base64");
  const given = Buffer.from(token.passwordDigest, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_digest" };
  const skew = opts.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  const nowMs = opts.now.getTime();
  if (Math.abs(createdMs - nowMs) > skew) return { ok: false, reason: "stale" };
  if (!opts.nonces.remember(token.nonceBase64, createdMs + skew, nowMs)) return { ok: false, reason: "replay" };
  return { ok: true };
}
