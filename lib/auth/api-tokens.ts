// Personal access tokens (issue 14): create (shown once, stored as SHA-256 only), list (a member's own; every token
// of the household for admins), revoke, and authenticateBearer — the one place an `Authorization: Bearer` header
// becomes a Viewer (called by route(), lib/http/route.ts). A token acts as its member and never with more than the
// member's role allows now: the scopes are intersected with scopesForRole(role) at every use, a disabled member's
// tokens are refused (and revoked when the member is disabled, lib/household/members.ts), a deleted member's are
// gone with the row (ON DELETE CASCADE). The camera limit is enforced by lib/cameras/access.ts (Viewer.token).
import type { Db } from "../db";
import { AppError } from "../errors";
import { hashToken, newId, newToken } from "../ids";
import { isRole, type Role } from "../household/roles";
import { DAY_MS } from "../time";
import { isApiScope, scopesForRole, type ApiScope } from "./scopes";
import { viewerOfUser, type Viewer } from "./viewer";

/** Every token starts with this, so that secret scanners and people recognise it. */
export const TOKEN_PREFIX = "nj_";
/** "nj_" + base64url of 32 random bytes (43 characters, no padding). */
export const TOKEN_PATTERN = /^nj_[A-Za-z0-9_-]{43}$/;
/** Characters kept in ApiToken.prefix ("nj_" + 7): enough to recognise a token, far too few to use it. */
export const PREFIX_CHARS = 10;
export const MAX_NAME_CHARS = 60;
/** The latest expiry a token may have, days from its creation. */
export const MAX_TOKEN_DAYS = 365;
/** Last use is written at most once per this interval per token, ms. */
export const LAST_USE_WRITE_MS = 60_000;
/** At most this many cameras in one token's limit. */
export const MAX_TOKEN_CAMERAS = 200;

export type TokenStatus = "active" | "expired" | "revoked";

/** A token as lists show it: never the hash, never the token. Dates as Date (JSON turns them into ISO strings). */
export type ApiTokenItem = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  /** null = every camera the member sees. */
  cameraIds: string[] | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
  revokedAt: Date | null;
  status: TokenStatus;
};
export type HouseholdTokenItem = ApiTokenItem & { member: { id: string; email: string; displayName: string | null } };

/** A token as JSON (pages → client components, the export): the same fields, dates as ISO-8601 strings. */
export type ApiTokenJson = Omit<ApiTokenItem, "createdAt" | "expiresAt" | "lastUsedAt" | "revokedAt"> & {
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  member?: HouseholdTokenItem["member"];
};

export function apiTokenJson(item: ApiTokenItem | HouseholdTokenItem): ApiTokenJson {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return { ...item, createdAt: item.createdAt.toISOString(), expiresAt: iso(item.expiresAt), lastUsedAt: iso(item.lastUsedAt), revokedAt: iso(item.revokedAt) };
}

export type CreateTokenInput = { name: string; scopes: string[]; cameraIds?: string[] | null; expiresAt?: Date | null };

/** A new token: "nj_" + 256 random bits, base64url. Stored as hashToken (lib/ids.ts: SHA-256 hex; 256 random bits need no slow hash). */
export function generateToken(): string {
  return TOKEN_PREFIX + newToken();
}

function parseList(json: string | null): string[] | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function statusOf(row: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

type Row = { id: string; name: string; prefix: string; scopes: string; cameraIds: string | null; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; lastUsedAddress: string | null; revokedAt: Date | null };
const itemSelect = { id: true, name: true, prefix: true, scopes: true, cameraIds: true, createdAt: true, expiresAt: true, lastUsedAt: true, lastUsedAddress: true, revokedAt: true } as const;

function toItem(row: Row, now: Date): ApiTokenItem {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: (parseList(row.scopes) ?? []).filter(isApiScope),
    cameraIds: parseList(row.cameraIds),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedAddress: row.lastUsedAddress,
    revokedAt: row.revokedAt,
    status: statusOf(row, now),
  };
}

/**
 * Creates a token for `member` and returns it once (only its hash is kept). Refused with a validation error (per
 * field): an empty or long name, no scope, a scope the member's role may not hold, a camera the member does not see
 * (`visibleCameraIds`: what lib/cameras/access.ts answers for the member — lib/auth cannot import lib/cameras), an
 * expiry not in the future or later than MAX_TOKEN_DAYS.
 */
export async function createApiToken(
  db: Db,
  member: { id: string; role: Role },
  input: CreateTokenInput,
  opts: { now: Date; visibleCameraIds: "all" | string[] },
): Promise<{ token: string; item: ApiTokenItem }> {
  const { now } = opts;
  const name = input.name.trim();
  if (name.length < 1 || name.length > MAX_NAME_CHARS) throw new AppError("validation", {}, { name: name.length ? "too_big" : "required" });
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new AppError("validation", {}, { scopes: "required" });
  const allowed = scopesForRole(member.role);
  if (!scopes.every((s): s is ApiScope => isApiScope(s) && allowed.includes(s))) throw new AppError("validation", {}, { scopes: "scope_not_allowed" });
  let cameraIds: string[] | null = null;
  if (input.cameraIds && input.cameraIds.length > 0) {
    cameraIds = [...new Set(input.cameraIds)];
    if (cameraIds.length > MAX_TOKEN_CAMERAS) throw new AppError("validation", {}, { cameraIds: "too_big" });
    const visible = opts.visibleCameraIds;
    const known = visible === "all" ? new Set((await db.camera.findMany({ where: { id: { in: cameraIds } }, select: { id: true } })).map((c) => c.id)) : new Set(visible);
    if (!cameraIds.every((id) => known.has(id))) throw new AppError("validation", {}, { cameraIds: "camera_not_visible" });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt) {
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) throw new AppError("validation", {}, { expiresAt: "not_in_future" });
    // One hour of slack so that "365 days" picked in the form is never refused for the seconds it took to submit.
    if (expiresAt.getTime() > now.getTime() + MAX_TOKEN_DAYS * DAY_MS + 3_600_000) throw new AppError("validation", {}, { expiresAt: "too_big" });
  }
  const token = generateToken();
  const row = await db.apiToken.create({
    data: {
      id: newId(),
      userId: member.id,
      name,
      prefix: token.slice(0, PREFIX_CHARS),
      hash: hashToken(token),
      scopes: JSON.stringify(scopes),
      cameraIds: cameraIds ? JSON.stringify(cameraIds) : null,
      expiresAt,
      createdAt: now,
    },
    select: itemSelect,
  });
  return { token, item: toItem(row, now) };
}

/** A member's own tokens, newest first (revoked and expired ones included, with their status). */
export async function listApiTokens(db: Db, userId: string, now: Date): Promise<ApiTokenItem[]> {
  const rows = await db.apiToken.findMany({ where: { userId }, select: itemSelect, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return rows.map((r) => toItem(r, now));
}

/** Every token of the household with its member (admins), newest first. */
export async function listHouseholdTokens(db: Db, now: Date): Promise<HouseholdTokenItem[]> {
  const rows = await db.apiToken.findMany({
    select: { ...itemSelect, user: { select: { id: true, email: true, displayName: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map(({ user, ...r }) => ({ ...toItem(r, now), member: user }));
}

/**
 * Revokes a token: the member's own (`ownerId` given: another member's token is not_found), or any (ownerId null:
 * admins). Idempotent: revoking a revoked token keeps its first revocation time.
 */
export async function revokeApiToken(db: Db, tokenId: string, ownerId: string | null, now: Date): Promise<ApiTokenItem & { memberId: string }> {
  const found = await db.apiToken.findFirst({ where: { id: tokenId, ...(ownerId ? { userId: ownerId } : {}) }, select: { id: true } });
  if (!found) throw new AppError("not_found");
  await db.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: now } });
  const { userId, ...row } = await db.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: { ...itemSelect, userId: true } });
  return { ...toItem(row, now), memberId: userId };
}

/** The token in an Authorization header ("Bearer nj_…"), or null when the header is not a well-formed bearer token. */
export function bearerTokenOf(header: string | null | undefined): string | null {
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? "");
  return m && TOKEN_PATTERN.test(m[1]) ? m[1] : null;
}

/** True when the request tries bearer authentication (whatever the token), so that a cookie is not used instead. */
export function isBearerAttempt(header: string | null | undefined): boolean {
  return /^Bearer(\s|$)/i.test(header ?? "");
}

/**
 * The Viewer a bearer token stands for, or null — for every failure alike (malformed, unknown, revoked, expired,
 * member disabled or without a role): callers answer 401 with no detail. Records the last use (time, address) at
 * most once per LAST_USE_WRITE_MS. The token is found by its hash (a unique index): no secret is compared in code.
 */
export async function authenticateBearer(db: Db, header: string | null | undefined, now: Date, address: string | null): Promise<Viewer | null> {
  const token = bearerTokenOf(header);
  if (!token) return null;
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) }, include: { user: true } });
  if (!row || statusOf(row, now) !== "active") return null;
  const user = row.user;
  if (user.isDisabled || !isRole(user.role)) return null;
  const role = user.role;
  const allowed = scopesForRole(role);
  const scopes = (parseList(row.scopes) ?? []).filter((s): s is ApiScope => isApiScope(s) && allowed.includes(s));
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USE_WRITE_MS) {
    const before = new Date(now.getTime() - LAST_USE_WRITE_MS);
    // Conditional, so that concurrent requests of one token write once.
    await db.apiToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: before } }] }, data: { lastUsedAt: now, lastUsedAddress: address?.slice(0, 100) ?? null } });
  }
  return viewerOfUser({ ...user, role }, { id: row.id, name: row.name, scopes, cameraIds: parseList(row.cameraIds) });
}
