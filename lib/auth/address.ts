// The client's network address, for throttling. Our web server (workers/web.ts) writes the socket's address into
// the x-nightjar-peer header, replacing anything a client sent; behind a reverse proxy (TRUST_PROXY=true) the last
// X-Forwarded-For entry, which the proxy appended, is used instead.
import { getEnv } from "../env";

export const PEER_HEADER = "x-nightjar-peer";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : (v ?? null);
}

export function clientAddress(headers: HeaderBag): string | null {
  if (getEnv().TRUST_PROXY) {
    const forwarded = header(headers, "x-forwarded-for");
    const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  return header(headers, PEER_HEADER);
}
