"use client";
// The browser's one way to call Nightjar's JSON routes. A 401 sends the browser to sign in.

export type FieldErrors = Record<string, { code: string; message: string }>;
export type ApiError = { code: string; message: string; fields?: FieldErrors; params?: Record<string, unknown> };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: init.body === undefined ? {} : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, error: { code: "network", message: "" } };
  }
  const json = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data: json as T };
  if (res.status === 401 && !path.startsWith("/api/setup") && !path.startsWith("/api/invites")) {
    hardNavigate("/login");
  }
  const error = (json?.error ?? { code: "internal", message: "" }) as ApiError;
  return { ok: false, status: res.status, error };
}

/** The text to show for a failed call: the server's localized message, or a generic one. */
export function errorMessage(error: ApiError, fallback: string): string {
  return error.message || fallback;
}

/**
 * A full page load. Used after the session changed (signed in, signed out everywhere, password changed): the
 * server must render everything afresh for the new session, which a client-side router push would not do.
 */
export function hardNavigate(path: string): void {
  window.location.assign(path);
}
