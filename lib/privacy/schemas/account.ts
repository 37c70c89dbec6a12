// account.json: the member's profile and settings. Never the password hash, session version or any secret.
import { dateTime, DRAFT, formatVersion, id, nullableString } from "./common";

export const accountSchema = {
  $schema: DRAFT,
  title: "Nightjar export: account.json",
  description: "Your account and your settings as they were when the export was made.",
  type: "object",
  additionalProperties: false,
  required: ["formatVersion", "account"],
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
  },
} as const;
