// The address rule of a webhook endpoint, checked when it is saved: http(s) only, no user name or password in it,
// and the host must resolve now (dns.lookup). Addresses on the LAN are allowed: Home Assistant usually lives there.
import dns from "node:dns";

/** Longest URL accepted, characters. */
export const MAX_WEBHOOK_URL_CHARS = 2_000;

/** Field error codes (lib/i18n/messages/fieldErrors.ts). */
export type WebhookUrlProblem = "invalid_url" | "webhook_scheme" | "url_credentials" | "does_not_resolve";

export type LookupFn = (host: string) => Promise<unknown>;

const systemLookup: LookupFn = (host) => dns.promises.lookup(host, { all: true });

/** The normalized URL, or the field error code. */
export async function checkWebhookUrl(raw: string, lookup: LookupFn = systemLookup): Promise<{ ok: true; url: string } | { ok: false; problem: WebhookUrlProblem }> {
  const text = raw.trim();
  if (!text || text.length > MAX_WEBHOOK_URL_CHARS) return { ok: false, problem: "invalid_url" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "invalid_url" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, problem: "webhook_scheme" };
  if (url.username || url.password) return { ok: false, problem: "url_credentials" };
  if (!url.hostname) return { ok: false, problem: "invalid_url" };
  // IPv6 literals come bracketed from URL; lookup wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  try {
    await lookup(host);
  } catch {
    return { ok: false, problem: "does_not_resolve" };
  }
  url.hash = "";
  return { ok: true, url: url.toString() };
}

/** The host (and port, when not the default) of a stored URL: what the data statement names. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
