// Rules for the fields that identify a member: e-mail, username, display name, language, time zone.
import { z } from "zod";
import { LOCALES } from "../i18n/locales";
import { isValidTimeZone } from "../time";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An e-mail address, normalized. Plain enough for home use: one @, a dot in the domain, no spaces. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .transform(normalizeEmail)
  .pipe(z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "invalid_email"));

/** 3–32 characters: lower-case letters, digits, dot, dash, underscore; starts with a letter or digit. */
export const usernameSchema = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "invalid_username"));

/**
 * Characters a name may not contain: control characters (C0, DEL, C1) and the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make a name display differently from how it reads ("Trojan Source").
 */
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** True when a name has none of the characters above. */
export const isCleanName = (s: string) => !FORBIDDEN_IN_NAMES.test(s);

/** Any name people give something: a camera, the household, a member, a zone (1–80 characters, trimmed, clean). */
export const nameSchema = z.string().trim().min(1).max(80).refine(isCleanName, "invalid_characters");

export const displayNameSchema = nameSchema;

export const localeSchema = z.enum(LOCALES);

export const timeZoneSchema = z.string().max(64).refine(isValidTimeZone, "invalid_time_zone");

/** Password fields are not trimmed; length rules are checked by requireGoodPassword. */
export const passwordSchema = z.string().min(1).max(1024);
