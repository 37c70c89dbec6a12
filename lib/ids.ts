// Random identifiers and tokens.
import crypto from "node:crypto";

/** A random row id: 16 bytes, base64url (22 characters). Not guessable, so ids in URLs reveal nothing. */
export function newId(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** A secret token for links: 32 bytes, base64url (43 characters). */
export function newToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** sha256 hex: what the database keeps of a token. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
