// Who is making this request: the session token (from the cookie) checked against the database on every request.
// A session is valid only while its user exists, is enabled, has the same session version as when the session was
// issued, and the sign-in is younger than the fixed session lifetime. Pure of next/*: shared by tests.
import type { Db } from "../db";
import { isRole, type Role } from "../household/roles";
import { isLocale, type Locale } from "../i18n/locales";

/** What a session cookie carries (signed and encrypted by next-auth). */
export type SessionClaims = {
  /** User id. */
  uid: string;
  /** User.sessionVersion when the session was issued. */
  sv: number;
  /** Sign-in time, ms since 1970-01-01 UTC. The session ends authAt + lifetime, whatever the activity. */
  authAt: number;
};

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
};

export function isSessionClaims(value: unknown): value is SessionClaims {
  const v = value as SessionClaims | null;
  return !!v && typeof v.uid === "string" && typeof v.sv === "number" && typeof v.authAt === "number";
}

export async function resolveViewer(db: Db, claims: unknown, now: Date, lifetimeSeconds: number): Promise<Viewer | null> {
  if (!isSessionClaims(claims)) return null;
  if (claims.authAt > now.getTime() + 60_000 || now.getTime() - claims.authAt > lifetimeSeconds * 1000) return null;
  const user = await db.user.findUnique({ where: { id: claims.uid } });
  if (!user || user.isDisabled || user.sessionVersion !== claims.sv || !isRole(user.role)) return null;
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
  };
}
