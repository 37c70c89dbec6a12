// account.json: the member's profile and settings, and their API tokens. Never the password hash, session version,
// a token or its hash, or any other secret.
import { dateTime, DRAFT, formatVersion, id, nullableDateTime, nullableString } from "./common";

export const accountSchema = {
  $schema: DRAFT,
  title: "Nightjar export: account.json",
  description: "Your account and your settings as they were when the export was made.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "account", "apiTokens"],
  properties: {
    formatVersion,
    account: {
      type: "object",
      additionalProperties: false,
      required: ["id", "email", "username", "displayName", "role", "isOwner", "locale", "timeZone", "createdAt", "passwordChangedAt"],
      properties: {
        id,
        email: { type: "string", description: "Your e-mail address (lower-case)." },
        username: { ...nullableString, description: "Your optional sign-in name." },
        displayName: { ...nullableString, description: "The name others in the household see." },
        role: { enum: ["admin", "member", "viewer"] },
        isOwner: { type: "boolean", description: "True for the member who set Nightjar up." },
        locale: { type: ["string", "null"], description: "Language of the interface (en, nl, de, sv); null = from the browser." },
        timeZone: { type: ["string", "null"], description: "IANA time zone times are shown in; null = the server's." },
        createdAt: dateTime,
        passwordChangedAt: dateTime,
      },
    },
    apiTokens: {
      type: "array",
      description: "Your personal access tokens (Account → API tokens), revoked and expired ones included. Never the token itself or its hash.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name", "prefix", "scopes", "cameraIds", "createdAt", "expiresAt", "lastUsedAt", "lastUsedAddress", "revokedAt"],
        properties: {
          id,
          name: { type: "string", description: "The name you gave it." },
          prefix: { type: "string", maxLength: 10, description: "Its first characters (\"nj_\" and 7 more), to recognise it; not enough to use it." },
          scopes: { type: "array", items: { enum: ["events:read", "live:watch", "cameras:control", "ptz:control", "household:manage"] }, description: "What it may do (never more than your role allows)." },
          cameraIds: { type: ["array", "null"], items: id, description: "The cameras it is limited to; null = every camera you see." },
          createdAt: dateTime,
          expiresAt: { ...nullableDateTime, description: "When it stops working; null = never." },
          lastUsedAt: { ...nullableDateTime, description: "Its last use (recorded at most once a minute)." },
          lastUsedAddress: { ...nullableString, description: "The network address of that use." },
          revokedAt: { ...nullableDateTime, description: "When it was revoked; null = not revoked." },
        },
      },
    },
  },
} as const;
