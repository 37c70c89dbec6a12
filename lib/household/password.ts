// Member passwords: argon2id hashing and the rules a new password must meet. Household owns members and their
// credentials (setup, invites, members, profile change hashes here); lib/auth verifies at sign-in.
import { createRequire } from "node:module";
import { hash, verify } from "@node-rs/argon2";
import { AppError } from "../errors";

/** Minimum length of a new password, in characters (code points). */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest accepted password, in characters; bounds hashing work for hostile input. */
export const MAX_PASSWORD_LENGTH = 256;

// OWASP-recommended argon2id parameters (19 MiB, 2 passes, 1 lane). argon2id is the library's default algorithm
// (its Algorithm enum is a const enum that does not exist at run time); tests assert the "$argon2id$" prefix.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** argon2 verifications run by this process (every one costs the same time): what tests count instead of timing. */
let verifications = 0;
export const passwordVerifications = () => verifications;

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  verifications++;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed hash never matches
  }
}

let dummyHash: Promise<string> | null = null;
/**
 * Spends the same time as a real verification. Used for unknown e-mails so that the response time does not tell
 * whether an account exists.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("nightjar-timing-equaliser-" + Math.random());
  await verifyPassword(await dummyHash, password);
  return false;
}

let common: Set<string> | null = null;
/** The 50,000 most common passwords (Mozilla's list from the OWASP SecLists corpus), lower-cased. */
function commonPasswords(): Set<string> {
  if (common) return common;
  const require = createRequire(import.meta.url);
  const { Decoder } = require("incremental-encoder").default as { Decoder: new () => { decode(l: string[]): string[] } };
  const encoded = require("fxa-common-password-list/src/encoded-passwords") as string;
  common = new Set(new Decoder().decode(encoded.split("\n")).map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = "too_short" | "too_long" | "common" | "contains_email";

/** Returns what is wrong with a new password, or null when it is acceptable. Pure but for the common list. */
export function checkPasswordRules(password: string, email?: string | null): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return "too_short";
  if (length > MAX_PASSWORD_LENGTH) return "too_long";
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return "common";
  if (new Set(lower).size <= 2) return "common"; // "aaaaaaaaaa", "abababababab"
  const local = email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local) && lower.length - local.length < 6) return "contains_email";
  return null;
}

/** Throws a localized AppError when the password breaks a rule. */
export function requireGoodPassword(password: string, email?: string | null, field = "password"): void {
  const problem = checkPasswordRules(password, email);
  if (!problem) return;
  if (problem === "common" || problem === "contains_email") throw new AppError("common_password", {}, { [field]: "common_password" });
  throw new AppError("weak_password", { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH }, { [field]: "weak_password" });
}
