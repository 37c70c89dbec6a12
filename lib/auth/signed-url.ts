// Signed URLs (issue 14): for players that cannot send an Authorization header (VLC, Home Assistant's stream
// component). A URL under one camera's API prefix `/api/v1/cameras/<id>/` carries `exp` (seconds since epoch),
// `uid` (the member) and `sig` = HMAC-SHA256(key, "<prefix>\n<uid>\n<exp>") in base64url, where the key is derived
// from the session secret (lib/secrets.ts). The signature opens every GET/HEAD route under that prefix that declares
// `access.signedUrl` in route() (a live playlist names its segments relatively: the playlist route appends
// signedQueryOf(req) to each segment URI so that they carry the same query). The request acts as the member with
// scopes live:watch and events:read (within their role now) and limited to that camera (lib/cameras/access.ts), and
// only while the member is enabled — a member who no longer sees the camera gets 403 from the camera check.
import crypto from "node:crypto";
import type { Db } from "../db";
import { AppError } from "../errors";
import { isRole } from "../household/roles";
import { getSecrets } from "../secrets";
import { scopesForRole, type ApiScope } from "./scopes";
import { viewerOfUser, type Viewer } from "./viewer";

export const SIGNED_URL_DEFAULT_SECONDS = 5 * 60;
export const SIGNED_URL_MAX_SECONDS = 15 * 60;
/** What a signed URL may do, before intersecting with the member's role. Read-only. */
export const SIGNED_URL_SCOPES: readonly ApiScope[] = ["live:watch", "events:read"];
/** The token id a signed request's Viewer carries (it is no ApiToken row); route() records `via: "signed_url"`. */
export const SIGNED_URL_TOKEN_ID = "signed-url";

const PREFIX_RE = /^\/api\/v1\/cameras\/([A-Za-z0-9_-]{1,100})\//;

/** The signed prefix of a request path ("/api/v1/cameras/<id>/") and its camera, or null. */
export function signedPrefixOf(pathname: string): { prefix: string; cameraId: string } | null {
  const m = PREFIX_RE.exec(pathname);
  return m ? { prefix: m[0], cameraId: m[1] } : null;
}

function key(): Buffer {
  return crypto.createHmac("sha256", getSecrets().sessionSecret).update("nightjar signed-url v1").digest();
}

function sign(prefix: string, uid: string, exp: number): string {
  return crypto.createHmac("sha256", key()).update(`${prefix}\n${uid}\n${exp}`).digest("base64url");
}

/**
 * A URL for `path` (under `/api/v1/cameras/<cameraId>/`) that works without a header until `expiresAt` (default
 * 5 minutes, at most 15), for every GET/HEAD under that camera's prefix. Path-absolute ("/api/v1/…?exp=…&uid=…&sig=…"):
 * the caller prefixes the origin. The caller has checked that the viewer may watch the camera; a token viewer limited
 * to other cameras is refused here as well (forbidden).
 */
export function createSignedUrl(opts: { viewer: Viewer; cameraId: string; path: string; ttlSeconds?: number; now?: Date }): { url: string; expiresAt: Date } {
  const now = opts.now ?? new Date();
  const ttl = opts.ttlSeconds ?? SIGNED_URL_DEFAULT_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > SIGNED_URL_MAX_SECONDS) throw new AppError("validation", {}, { ttlSeconds: "too_big" });
  const prefix = `/api/v1/cameras/${opts.cameraId}/`;
  const target = signedPrefixOf(opts.path);
  if (!target || target.prefix !== prefix || /[?#\\]|\/\.\.?(\/|$)|\/\//.test(opts.path.slice(1))) throw new AppError("validation", {}, { path: "invalid" });
  const limit = opts.viewer.token?.cameraIds;
  if (limit && !limit.includes(opts.cameraId)) throw new AppError("forbidden");
  const exp = Math.floor(now.getTime() / 1000) + ttl;
  const query = new URLSearchParams({ exp: String(exp), uid: opts.viewer.id, sig: sign(prefix, opts.viewer.id, exp) });
  return { url: `${opts.path}?${query}`, expiresAt: new Date(exp * 1000) };
}

/**
 * The signature query of a request ("exp=…&uid=…&sig=…"), or null when it has none. The live playlist route appends
 * it to the segment URIs it serves, so that a player without headers can fetch them.
 */
export function signedQueryOf(req: { url: string }): string | null {
  const params = new URL(req.url, "http://localhost").searchParams;
  const exp = params.get("exp");
  const uid = params.get("uid");
  const sig = params.get("sig");
  if (!exp || !uid || !sig) return null;
  return new URLSearchParams({ exp, uid, sig }).toString();
}

/** True when the request carries a signature (valid or not). */
export function hasSignature(req: { url: string }): boolean {
  return new URL(req.url, "http://localhost").searchParams.has("sig");
}

/**
 * The Viewer of a signed GET/HEAD request, or null for every failure alike (no or bad signature, expired, another
 * camera's prefix, unknown or disabled member, another method).
 */
export async function verifySignedRequest(db: Db, req: { method: string; url: string }, now: Date): Promise<Viewer | null> {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const url = new URL(req.url, "http://localhost");
  const target = signedPrefixOf(url.pathname);
  const exp = Number(url.searchParams.get("exp"));
  const uid = url.searchParams.get("uid") ?? "";
  const sig = url.searchParams.get("sig") ?? "";
  if (!target || !uid || !Number.isInteger(exp) || exp * 1000 <= now.getTime()) return null;
  // An expiry further away than the longest lifetime was not made here (or the clock went back a long way).
  if (exp * 1000 > now.getTime() + SIGNED_URL_MAX_SECONDS * 1000 + 60_000) return null;
  const expected = Buffer.from(sign(target.prefix, uid, exp));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const user = await db.user.findUnique({ where: { id: uid } });
  if (!user || user.isDisabled || !isRole(user.role)) return null;
  const role = user.role;
  const allowed = scopesForRole(role);
  const scopes = SIGNED_URL_SCOPES.filter((s) => allowed.includes(s));
  return viewerOfUser({ ...user, role }, { id: SIGNED_URL_TOKEN_ID, name: "", scopes, cameraIds: [target.cameraId], isSignedUrl: true });
}
