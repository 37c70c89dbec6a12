// Scopes of personal access tokens (issue 14). A token acts as its member, never with more than the member's role
// allows (`ROLE_NEEDED`), and only on routes that accept its scope: a route opts in with `access.token` in route()
// (lib/http/route.ts); a route without it refuses every bearer token (deny by default). Pure: shared by tests and UI.
import { can, type Permission, type Role } from "../household/roles";

export const API_SCOPES = ["events:read", "live:watch", "cameras:control", "ptz:control", "household:manage"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);
}

/**
 * events:read      — list and read events, download clips and photos, read the storage status.
 * live:watch       — live playlists and segments, snapshots, signed live URLs.
 * cameras:control  — motion/alarm settings, arm/disarm, zones, privacy mode (admins).
 * ptz:control      — steer cameras that can pan, tilt and zoom, and send them to saved positions (admins, members).
 * household:manage — members, invites, webhooks (admins).
 * The permission a member's role must have to hold the scope.
 */
export const ROLE_NEEDED: Record<ApiScope, Permission> = {
  "events:read": "video:watch",
  "live:watch": "video:watch",
  "cameras:control": "cameras:manage",
  "ptz:control": "ptz:control",
  "household:manage": "household:manage",
};

/** The scopes a member of this role may give a token. */
export function scopesForRole(role: Role): ApiScope[] {
  return API_SCOPES.filter((s) => can(role, ROLE_NEEDED[s]));
}

/** What a request authenticated by a token carries on its Viewer (null for a browser session). */
export type ViewerToken = {
  id: string;
  name: string;
  scopes: ApiScope[];
  /** The cameras the token is limited to (within those its member sees); null = every camera the member sees. */
  cameraIds: string[] | null;
  /** True for a signed URL (lib/auth/signed-url.ts): no ApiToken row, `id` is SIGNED_URL_TOKEN_ID. */
  isSignedUrl?: boolean;
};
