"use client";
// Signs in through next-auth's Credentials provider and reports a localizable error code.
import { signIn } from "next-auth/react";

export type SignInOutcome = { ok: true } | { ok: false; code: string; params: Record<string, string | number> };

export async function signInWithPassword(login: string, password: string): Promise<SignInOutcome> {
  const res = await signIn("credentials", { login, password, redirect: false });
  // next-auth may report ok for a failed sign-in: the error field is what counts.
  if (res && !res.error && res.ok) return { ok: true };
  try {
    const parsed = JSON.parse(res?.error ?? "");
    if (parsed && typeof parsed.code === "string") return { ok: false, code: parsed.code, params: parsed.params ?? {} };
  } catch {
    /* not one of ours */
  }
  return { ok: false, code: "internal", params: {} };
}

export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
