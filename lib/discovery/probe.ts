// Finding ONVIF cameras on the network: a WS-Discovery multicast Probe, and a sweep of an address list with unicast
// Probes (plus an optional unauthenticated HTTP GetDeviceInformation) for cameras multicast cannot reach.
import dgram from "node:dgram";
import { postSoap } from "../onvif/client";
import { buildProbe, parseProbeMatches, type ProbeType, type ScopeInfo } from "../onvif/discovery-messages";
import { buildEnvelope } from "../onvif/soap";
import { OnvifError } from "../onvif/xml";
import { DiscoveryError } from "./ranges";

export const WS_DISCOVERY_PORT = 3702;
export const WS_DISCOVERY_MULTICAST_ADDRESS = "239.255.255.250";
/** Default wait per sweep address for a unicast ProbeMatches (and again for the HTTP check), in ms. */
export const DEFAULT_SWEEP_TIMEOUT_MS = 1_500;
/** Default number of addresses probed at once in a sweep. */
export const DEFAULT_SWEEP_CONCURRENCY = 32;

const PROBE_TYPES: ProbeType[] = ["NetworkVideoTransmitter", "Device"];
/**
 * Receive buffer asked for, in bytes (the kernel caps it at net.core.rmem_max). With the 208 KiB default, ~45
 * ProbeMatches arriving at once overflow it (measured: 100 simulated cameras answering together → 46 found).
 */
const RECV_BUFFER_BYTES = 2 * 1024 * 1024;

export type DiscoveredCamera = {
  /** The address that answered (UDP source, or the address the HTTP check reached). */
  address: string;
  /** WS-Discovery endpoint ("urn:uuid:…"); "" when found by the HTTP check. */
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
  types: string[];
  info: ScopeInfo;
  via: "multicast" | "unicast" | "http";
};

/** Errnos that mean "this host cannot send or receive multicast on that interface" (no route, no such interface). */
const MULTICAST_SETUP_ERRNOS = new Set(["ENETUNREACH", "ENODEV", "EADDRNOTAVAIL", "EINVAL", "EHOSTUNREACH", "EPERM"]);

function multicastUnavailable(err: unknown, group: string, iface: string | undefined): DiscoveryError {
  const code = (err as { code?: string })?.code ?? String(err);
  const hint = iface
    ? `interface address ${iface} cannot send to ${group}`
    : `no route for ${group}: give interfaceAddress, or add a route (ip route add 224.0.0.0/4 dev <interface>)`;
  return new DiscoveryError("multicast_unavailable", `${code}: ${hint}`, { cause: err });
}

/** A promise that resolves after `ms` or at once when `signal` aborts; the timer never outlives it. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

function sendAsync(socket: dgram.Socket, msg: string, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(msg, port, address, (err) => (err ? reject(err) : resolve())));
}

function bindAsync(socket: dgram.Socket, address?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, address, () => {
      socket.off("error", reject);
      resolve();
    });
  });
}

/** Parses one datagram into cameras; junk, hostile XML and other messages give []. */
function camerasFrom(msg: Buffer, address: string, via: DiscoveredCamera["via"]): { relatesTo: string | null; cameras: DiscoveredCamera[] } {
  try {
    const parsed = parseProbeMatches(msg);
    return { relatesTo: parsed.relatesTo, cameras: parsed.matches.map((m) => ({ address, endpoint: m.endpoint, xaddrs: m.xaddrs, scopes: m.scopes, types: m.types, info: m.info, via })) };
  } catch {
    return { relatesTo: null, cameras: [] };
  }
}

/**
 * Sends WS-Discovery Probes (one per type, each sent twice against UDP loss) to the multicast group and collects
 * ProbeMatches until `timeoutMs` (or until `signal` aborts: then it resolves early with what it has). Cameras are
 * de-duplicated by endpoint. Throws DiscoveryError("multicast_unavailable") when the host cannot send multicast
 * (no route; on a loopback-only host pass interfaceAddress "127.0.0.1").
 */
export async function discoverMulticast(opts: {
  timeoutMs: number;
  interfaceAddress?: string;
  port?: number;
  multicastAddress?: string;
  /** Multicast TTL (hops). 1 keeps the Probe on the local link, as WS-Discovery intends. */
  ttl?: number;
  signal?: AbortSignal;
}): Promise<DiscoveredCamera[]> {
  const group = opts.multicastAddress ?? WS_DISCOVERY_MULTICAST_ADDRESS;
  const port = opts.port ?? WS_DISCOVERY_PORT;
  const found = new Map<string, DiscoveredCamera>();
  const socket = dgram.createSocket({ type: "udp4", recvBufferSize: RECV_BUFFER_BYTES });
  let failure: unknown = null;
  socket.on("error", (err) => (failure ??= err));
  socket.on("message", (msg, rinfo) => {
    for (const cam of camerasFrom(msg, rinfo.address, "multicast").cameras) {
      const key = cam.endpoint || cam.xaddrs[0];
      if (!found.has(key)) found.set(key, cam);
    }
  });
  try {
    await bindAsync(socket);
    try {
      if (opts.interfaceAddress) socket.setMulticastInterface(opts.interfaceAddress);
      socket.setMulticastTTL(opts.ttl ?? 1);
      // Loopback on: cameras (or simulated ones) on this very host must hear the Probe too.
      socket.setMulticastLoopback(true);
    } catch (err) {
      throw multicastUnavailable(err, group, opts.interfaceAddress);
    }
    const probes = PROBE_TYPES.map((type) => buildProbe({ type }).xml);
    const sendAll = async () => {
      for (const xml of probes) {
        try {
          await sendAsync(socket, xml, port, group);
        } catch (err) {
          const code = (err as { code?: string })?.code ?? "";
          throw MULTICAST_SETUP_ERRNOS.has(code) ? multicastUnavailable(err, group, opts.interfaceAddress) : err;
        }
      }
    };
    const started = Date.now();
    await sendAll();
    await sleep(Math.min(200, opts.timeoutMs / 4), opts.signal);
    if (!opts.signal?.aborted) await sendAll();
    await sleep(opts.timeoutMs - (Date.now() - started), opts.signal);
    if (failure) throw failure;
    return [...found.values()];
  } finally {
    socket.close();
  }
}

/** The unauthenticated request of the HTTP check: any SOAP answer (even a NotAuthorized fault) means ONVIF. */
const DEVICE_INFO_ENVELOPE = buildEnvelope({ body: "<tds:GetDeviceInformation/>" });

/**
 * Probes each address by unicast WS-Discovery (UDP `port`, default 3702) with at most `concurrency` addresses in
 * flight; an address that does not answer within `timeoutMs` gets, if `http` is given, a POST of GetDeviceInformation
 * without credentials to http://address:http.port/onvif/device_service. `onProgress(done, total, found)` runs after
 * each address. Aborting `signal` stops the sweep promptly (in-flight waits and HTTP requests are cancelled, the
 * socket closed) and resolves with what was found so far. Results are in completion order, unique by endpoint.
 */
export async function sweepRange(
  addresses: string[],
  opts: {
    concurrency?: number;
    timeoutMs?: number;
    port?: number;
    http?: { port?: number; path?: string; timeoutMs?: number } | false;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number, found: number) => void;
  } = {},
): Promise<DiscoveredCamera[]> {
  const port = opts.port ?? WS_DISCOVERY_PORT;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SWEEP_TIMEOUT_MS;
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_SWEEP_CONCURRENCY, 256));
  const signal = opts.signal;
  const results: DiscoveredCamera[] = [];
  const endpoints = new Set<string>();
  const add = (cam: DiscoveredCamera) => {
    if (cam.endpoint && endpoints.has(cam.endpoint)) return;
    if (cam.endpoint) endpoints.add(cam.endpoint);
    results.push(cam);
  };

  // Waiters for unicast answers, by Probe MessageID (matched through RelatesTo) and by address (for cameras that
  // get RelatesTo wrong). A waiter resolves with the cameras of the first answer, or [] at its timeout.
  type Waiter = { address: string; resolve: (cams: DiscoveredCamera[]) => void };
  const byMessageId = new Map<string, Waiter>();
  const byAddress = new Map<string, Waiter>();

  const socket = dgram.createSocket({ type: "udp4", recvBufferSize: RECV_BUFFER_BYTES });
  socket.on("error", () => {}); // per-address failures show up as silence
  socket.on("message", (msg, rinfo) => {
    const { relatesTo, cameras } = camerasFrom(msg, rinfo.address, "unicast");
    if (cameras.length === 0) return;
    const w = (relatesTo && byMessageId.get(relatesTo)) || byAddress.get(rinfo.address);
    w?.resolve(cameras);
  });

  const probeOne = async (address: string): Promise<DiscoveredCamera[]> => {
    const probes = PROBE_TYPES.map((type) => buildProbe({ type }));
    const answer = new Promise<DiscoveredCamera[]>((resolve) => {
      // Reported under the probed address, even if a multi-homed camera answers from another one.
      const w: Waiter = { address, resolve: (cams) => finish(cams.map((c) => ({ ...c, address }))) };
      const finish = (cams: DiscoveredCamera[]) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        for (const p of probes) byMessageId.delete(p.messageId);
        if (byAddress.get(address) === w) byAddress.delete(address);
        resolve(cams);
      };
      const onAbort = () => finish([]);
      const timer = setTimeout(() => finish([]), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      for (const p of probes) byMessageId.set(p.messageId, w);
      byAddress.set(address, w);
    });
    for (const p of probes) await sendAsync(socket, p.xml, port, address).catch(() => {});
    return answer;
  };

  const httpCheck = async (address: string): Promise<DiscoveredCamera | null> => {
    if (!opts.http) return null;
    const url = `http://${address}${opts.http.port && opts.http.port !== 80 ? `:${opts.http.port}` : ""}${opts.http.path ?? "/onvif/device_service"}`;
    try {
      await postSoap({ url, envelope: DEVICE_INFO_ENVELOPE, timeoutMs: opts.http.timeoutMs ?? timeoutMs, signal });
    } catch (err) {
      // A camera refusing the anonymous request with a SOAP fault (ter:NotAuthorized) is still a camera. A bare
      // HTTP 401 is not taken as one: any password-protected web server answers that way.
      if (!(err instanceof OnvifError && err.fault)) return null;
    }
    return { address, endpoint: "", xaddrs: [url], scopes: [], types: [], info: { profiles: [] }, via: "http" };
  };

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < addresses.length && !signal?.aborted) {
      const address = addresses[next++];
      const cams = await probeOne(address);
      if (cams.length > 0) cams.forEach(add);
      else if (!signal?.aborted) {
        const cam = await httpCheck(address);
        if (cam) add(cam);
      }
      if (signal?.aborted) break;
      done++;
      opts.onProgress?.(done, addresses.length, results.length);
    }
  };

  try {
    await bindAsync(socket);
    await Promise.all(Array.from({ length: Math.min(concurrency, addresses.length) }, worker));
    return results;
  } finally {
    socket.close();
  }
}
