// The security headers of every response, the one owner: the static ones (also given to Next in next.config.ts) and
// the Content-Security-Policy with a fresh nonce per request, set by workers/web.ts on the request (Next reads the
// nonce from it and puts it on every script it renders) and on the response. No inline script runs without the nonce;
// media, fetches and images only from this server. Pure (no next/*).
import crypto from "node:crypto";

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

/** 128 random bits, base64: a script nonce for one response. */
export const newNonce = () => crypto.randomBytes(16).toString("base64");

/**
 * The policy for one response. Scripts: only those carrying the nonce, and what they load ('strict-dynamic': Next's
 * chunks, hls.js). Styles allow inline attributes (React `style={…}`; no script runs from a style). `dev` adds what
 * Next's development server needs (eval for fast refresh, its websocket).
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "blob:", "data:"],
    ["media-src", "'self'", "blob:"],
    ["connect-src", "'self'", ...(options.dev ? ["ws:"] : [])],
    ["worker-src", "'self'", "blob:"],
    ["font-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** The script nonce of a policy made by contentSecurityPolicy (the request's header), null when it has none. */
export function nonceOf(policy: string | null | undefined): string | null {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1] ?? null;
}

/**
 * A request path whose percent-encoding cannot be decoded (`%ff%fe`, an overlong `%c0%ae`): such a request is
 * answered 400 before it reaches Next (whose router would fail with a bare 500). Returns the offending segment.
 */
export function malformedPathSegment(url: string): string | null {
  const pathname = url.split("?")[0].split("#")[0];
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment.slice(0, 100);
    }
  }
  return null;
}
