// Who is making this request: the session token (from the cookie) checked against the database on every request.
// A session is valid only while its user exists, is enabled, has the same session version as when the session was
// issued, its own id was not revoked (Sign out), and the sign-in is younger than the fixed session lifetime.
// Pure of next/*: shared by tests.
import crypto from "node:crypto";
import type { Db } from "../db";
import { isRole, type Role } from "../household/roles";
import { isLocale, type Locale } from "../i18n/locales";
import type { ViewerToken } from "./scopes";

/** What a session cookie carries (signed and encrypted by next-auth). */
export type SessionClaims = {
  /** User id. */
  uid: string;
  /** User.sessionVersion when the session was issued. */
  sv: number;
  /** Sign-in time, ms since 1970-01-01 UTC. The session ends authAt + lifetime, whatever the activity. */
  authAt: number;
  /** This session's id (random, 128 bits, base64url): Sign out revokes it (RevokedSession). */
  sid: string;
};

/** A new session id for the claims of a sign-in. */
export const newSessionId = () => crypto.randomBytes(16).toString("base64url");

export type Viewer = {
  id: string;
  email: string;
  username: string | null;
  displayName: string | null;
  role: Role;
  isOwner: boolean;
  locale: Locale | null;
  timeZone: string | null;
  mustChangePassword: boolean;
  /** Set when the request was authenticated by a personal access token (lib/auth/api-tokens.ts), not a session. */
  token?: ViewerToken | null;
};

export function isSessionClaims(value: unknown): value is SessionClaims {
  const v = value as SessionClaims | null;
  return !!v && typeof v.uid === "string" && typeof v.sv === "number" && typeof v.authAt === "number" && typeof v.sid === "string" && v.sid.length > 0 && v.sid.length <= 64;
}

export async function resolveViewer(db: Db, claims: unknown, now: Date, lifetimeSeconds: number): Promise<Viewer | null> {
  if (!isSessionClaims(claims)) return null;
  if (claims.authAt > now.getTime() + 60_000 || now.getTime() - claims.authAt > lifetimeSeconds * 1000) return null;
  const [user, revoked] = await Promise.all([db.user.findUnique({ where: { id: claims.uid } }), db.revokedSession.count({ where: { id: claims.sid } })]);
  if (!user || user.isDisabled || user.sessionVersion !== claims.sv || !isRole(user.role) || revoked > 0) return null;
  return viewerOfUser({ ...user, role: user.role });
}

type UserRow = { id: string; email: string; username: string | null; displayName: string | null; role: Role; isOwner: boolean; locale: string | null; timeZone: string | null; mustChangePassword: boolean };

/** The Viewer of an enabled user row whose role was checked (sessions here, tokens and signed URLs in api-tokens.ts). */
export function viewerOfUser(user: UserRow, token: ViewerToken | null = null): Viewer {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    isOwner: user.isOwner,
    locale: isLocale(user.locale) ? user.locale : null,
    timeZone: user.timeZone,
    mustChangePassword: user.mustChangePassword,
    ...(token ? { token } : {}),
  };
}

/**
 * Ends one session on the server (the Sign out button): its sid is refused from now on, whatever the browser keeps.
 * Idempotent. The row lives until the cookie would have expired anyway.
 */
export async function revokeSession(db: Db, claims: unknown, lifetimeSeconds: number): Promise<boolean> {
  if (!isSessionClaims(claims)) return false;
  const expiresAt = new Date(claims.authAt + lifetimeSeconds * 1000);
  await db.revokedSession.upsert({ where: { id: claims.sid }, create: { id: claims.sid, expiresAt }, update: {} });
  return true;
}

/** Removes revocations of sessions that have expired by their age anyway. Returns how many. */
export async function purgeRevokedSessions(db: Db, now: Date): Promise<number> {
  return (await db.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
