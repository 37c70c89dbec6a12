// Where a state-changing request may come from (CSRF and DNS rebinding), as a pure rule. A browser names the page
// that made a request in Origin and the address it connected to in Host. Refused:
// - an Origin that is not this server (a page on another site posting into Nightjar: CSRF);
// - a Host that is not one of Nightjar's addresses (DNS rebinding: an attacker's name resolving to this server makes
//   the browser send that name as Host; an IP address or localhost cannot be such a name, so those are accepted).
// Nightjar's addresses: PUBLIC_URL's host, ALLOWED_HOSTS, any IP address, localhost. Requests without Origin (scripts,
// curl, older browsers on same-origin requests) are judged by Host alone.
import net from "node:net";

export type OriginPolicy = {
  /** PUBLIC_URL, e.g. "https://nvr.home.arpa". */
  publicUrl: string;
  /** Extra host names (with or without a port) members use, e.g. ["nas.local", "nvr.example.net:8443"]. */
  allowedHosts: string[];
};

export type OriginVerdict = { ok: true } | { ok: false; reason: "unknown_host" | "bad_origin"; detail: string };

/** "Host:port" → { name, port } (IPv6 in brackets kept bracketed), lower-cased; null when unparsable. */
export function splitHost(host: string): { name: string; port: string } | null {
  const h = host.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m || !m[1]) return null;
  return { name: m[1].replace(/\.$/, ""), port: m[2] ?? "" };
}

const isLiteralOrLoopback = (name: string) => name === "localhost" || name.endsWith(".localhost") || net.isIP(name.replace(/^\[|\]$/g, "")) !== 0;

/** True when `host` (a Host header) is one of Nightjar's addresses. */
export function isKnownHost(host: string, policy: OriginPolicy): boolean {
  const parsed = splitHost(host);
  if (!parsed) return false;
  if (isLiteralOrLoopback(parsed.name)) return true;
  const known = [new URL(policy.publicUrl).host, ...policy.allowedHosts].map(splitHost).filter((k): k is NonNullable<typeof k> => k !== null);
  return known.some((k) => k.name === parsed.name && (k.port === "" || k.port === parsed.port));
}

/** The rule for POST, PUT, PATCH and DELETE. `host`: the Host the browser connected to (or a trusted proxy's X-Forwarded-Host). */
export function checkStateChangingRequest(input: { origin: string | null; host: string | null }, policy: OriginPolicy): OriginVerdict {
  if (!input.host || !isKnownHost(input.host, policy)) return { ok: false, reason: "unknown_host", detail: `Host ${JSON.stringify(input.host ?? "")} is not one of this server's addresses (PUBLIC_URL, ALLOWED_HOSTS, an IP address or localhost)` };
  if (input.origin === null) return { ok: true };
  let originHost: string;
  try {
    const u = new URL(input.origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
    originHost = u.host;
  } catch {
    return { ok: false, reason: "bad_origin", detail: `Origin ${JSON.stringify(input.origin)} is not an address` };
  }
  const [o, h] = [splitHost(originHost), splitHost(input.host)];
  const same = o !== null && h !== null && o.name === h.name && o.port === h.port;
  if (same || originHost === new URL(policy.publicUrl).host) return { ok: true };
  return { ok: false, reason: "bad_origin", detail: `Origin ${originHost} is another site than ${input.host}` };
}
