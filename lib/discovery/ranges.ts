// What an admin types to scan for cameras: a CIDR, a dash range, or a list of IPv4 addresses, expanded to a list
// of addresses (at most MAX_SWEEP_ADDRESSES). Pure functions; errors are DiscoveryError with a stable code.

/** The most addresses one sweep may cover: a /22. Larger scans take minutes and look like an attack. */
export const MAX_SWEEP_ADDRESSES = 1024;

export type DiscoveryErrorCode = "invalid_range" | "range_too_large" | "range_not_allowed" | "multicast_unavailable";

/**
 * Blocks no camera lives in, refused in every sweep: "this network" (0.0.0.0/8), multicast (224.0.0.0/4), reserved and
 * broadcast (240.0.0.0/4, 255.255.255.255 included). Loopback (127.0.0.0/8) only when explicitly allowed
 * (DISCOVERY_ALLOW_LOOPBACK: simulated cameras in tests and the demo live there).
 */
const NEVER: { first: number; last: number; name: string }[] = [
  { first: 0x00000000, last: 0x00ffffff, name: "0.0.0.0/8" },
  { first: 0xe0000000, last: 0xefffffff, name: "multicast 224.0.0.0/4" },
  { first: 0xf0000000, last: 0xffffffff, name: "reserved and broadcast 240.0.0.0/4" },
];
const LOOPBACK = { first: 0x7f000000, last: 0x7fffffff, name: "loopback 127.0.0.0/8" };

export type RangeOptions = { allowLoopback?: boolean };

export class DiscoveryError extends Error {
  readonly code: DiscoveryErrorCode;
  constructor(code: DiscoveryErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = "DiscoveryError";
    this.code = code;
  }
}

/** Dotted-quad IPv4 → 32-bit unsigned integer; null unless exactly four decimal octets 0–255 without leading zeros. */
export function parseIpv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (const part of m.slice(1)) {
    // "010" is octal to inet_aton and decimal to people: refuse the ambiguity.
    if (part.length > 1 && part.startsWith("0")) return null;
    const v = Number(part);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** An inclusive block [first, last] of addresses as integers. */
type Block = { first: number; last: number };

function invalid(token: string): DiscoveryError {
  return new DiscoveryError("invalid_range", `not an IPv4 address, CIDR or range: "${token}"`);
}

function tooLarge(count: number | string): DiscoveryError {
  return new DiscoveryError("range_too_large", `${count} addresses; at most ${MAX_SWEEP_ADDRESSES} (a /22) per scan`);
}

/** One token → one block. CIDRs with host bits set are taken as their network ("192.168.1.7/24" = 192.168.1.0/24). */
function parseToken(token: string): Block {
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(token);
  if (cidr) {
    const base = parseIpv4(cidr[1]);
    const prefix = Number(cidr[2]);
    if (base === null || prefix > 32) throw invalid(token);
    const size = 2 ** (32 - prefix);
    if (size > MAX_SWEEP_ADDRESSES) throw tooLarge(size);
    const first = base - (base % size);
    const last = first + size - 1;
    // In blocks of 4+ addresses the first is the network and the last the broadcast address: no host answers there.
    return prefix <= 30 ? { first: first + 1, last: last - 1 } : { first, last };
  }
  const dash = /^([\d.]+)-([\d.]+)$/.exec(token);
  if (dash) {
    const first = parseIpv4(dash[1]);
    if (first === null) throw invalid(token);
    // "192.168.1.10-50": the end is the last octet in the start's /24.
    const last = /^\d{1,3}$/.test(dash[2]) && !(dash[2].length > 1 && dash[2].startsWith("0")) && Number(dash[2]) <= 255 ? first - (first % 256) + Number(dash[2]) : parseIpv4(dash[2]);
    if (last === null || last < first) throw invalid(token);
    if (last - first + 1 > MAX_SWEEP_ADDRESSES) throw tooLarge(last - first + 1);
    return { first, last };
  }
  const single = parseIpv4(token);
  if (single === null) throw invalid(token);
  return { first: single, last: single };
}

/**
 * Expands admin input into distinct addresses in input order. Accepts "192.168.1.0/24", "192.168.1.10-192.168.1.50",
 * "192.168.1.10-50" and lists of any of these separated by commas and/or whitespace. Throws DiscoveryError
 * "invalid_range" (garbage, IPv6, reversed range, empty input), "range_too_large" (> MAX_SWEEP_ADDRESSES in total)
 * or "range_not_allowed" (a block that overlaps addresses no camera has; loopback unless `allowLoopback`).
 */
export function parseAddressRange(input: string, options: RangeOptions = {}): string[] {
  const tokens = input
    .trim()
    .replace(/\s*-\s*/g, "-") // "10.0.0.1 - 10.0.0.9"
    .replace(/\s*\/\s*/g, "/")
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (tokens.length === 0) throw new DiscoveryError("invalid_range", "no address given");
  const blocks = tokens.map(parseToken);
  const refused = [...NEVER, ...(options.allowLoopback ? [] : [LOOPBACK])];
  for (const b of blocks) {
    const hit = refused.find((r) => b.first <= r.last && b.last >= r.first);
    if (hit) throw new DiscoveryError("range_not_allowed", `${formatIpv4(b.first)}–${formatIpv4(b.last)} overlaps ${hit.name}, where no camera answers${hit === LOOPBACK ? " (set DISCOVERY_ALLOW_LOOPBACK=true to scan this machine)" : ""}`);
  }
  const seen = new Set<number>();
  const out: string[] = [];
  for (const b of blocks) {
    for (let n = b.first; n <= b.last; n++) {
      if (seen.has(n)) continue;
      seen.add(n);
      if (seen.size > MAX_SWEEP_ADDRESSES) throw tooLarge(`more than ${MAX_SWEEP_ADDRESSES}`);
      out.push(formatIpv4(n));
    }
  }
  return out;
}
