// WS-Discovery responder of one simulated camera: answers Probes sent to its own address and (optionally) those sent
// to the multicast group, with ProbeMatches naming its device XAddr. See "Multicast on loopback" below.
import { createHash } from "node:crypto";
import dgram from "node:dgram";
import { buildProbeMatches, parseProbe, scope } from "../onvif/discovery-messages";

/*
 * Multicast on loopback (measured on Linux 6.x, Debian 12 userland, as root and in a fresh network namespace with
 * only `lo` up): it works with NO setup, even though `lo` lacks the MULTICAST flag and there is no 224.0.0.0/4 route,
 * provided both ends name the loopback interface explicitly:
 *   - the responder's multicast socket binds the *group* address (239.255.255.250:port, SO_REUSEADDR) so that
 *     several responders share the port and unicast to 127.0.0.99 is not answered by whichever wildcard socket won,
 *     and joins the group on its own 127.x address (addMembership(group, host));
 *   - the prober calls setMulticastInterface("127.0.0.1") and keeps IP_MULTICAST_LOOP on.
 * Without an explicit interface the kernel needs a route: ENODEV on join / ENETUNREACH on send on a loopback-only
 * host. `ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo` makes the default interface work too.
 * With `lo` down (a bare `unshare -n`), joining fails with ENODEV: `ip link set lo up` is the one prerequisite.
 */

export type DiscoveryResponderOptions = {
  /** Address of the simulated camera, e.g. "127.0.0.21": the unicast socket binds here and answers come from here. */
  host: string;
  /** The device service URL to announce, e.g. http://127.0.0.21:8080/onvif/device_service. */
  xaddr: string;
  /** UDP port, default 3702 (tests use a high port). */
  port?: number;
  /** Also answer Probes sent to the multicast group (default true). false = a camera only a unicast sweep finds. */
  multicast?: boolean;
  multicastAddress?: string;
  /** Interface (by address) to join the group on; default `host` (any 127.x names `lo`). */
  multicastInterface?: string;
  /** Stable "urn:uuid:…"; default derived from host and xaddr, so it survives restarts. */
  endpoint?: string;
  name: string;
  hardware: string;
  manufacturer: string;
  location?: string;
  /**
   * Answer multicast Probes after a random delay in [0, maxReplyDelayMs] ms, as WS-Discovery asks of devices
   * (APP_MAX_DELAY = 500 ms) so that many cameras do not answer in one burst. Default 0: tests stay fast.
   */
  maxReplyDelayMs?: number;
};

export type DiscoveryResponder = {
  endpoint: string;
  /** Probes answered so far, by how they arrived. */
  readonly answered: { unicast: number; multicast: number };
  close(): Promise<void>;
};

const OUR_TYPES = new Set(["NetworkVideoTransmitter", "Device"]);

/** A name-based UUID (SHA-1, version 5 layout) as "urn:uuid:…". */
export function stableEndpoint(seed: string): string {
  const h = createHash("sha1").update(`nightjar-simulator:${seed}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function bind(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, address, () => {
      socket.off("error", reject);
      resolve();
    });
  });
}

const closeSocket = (s: dgram.Socket) =>
  new Promise<void>((resolve) => {
    try {
      s.close(() => resolve());
    } catch {
      resolve(); // already closed (e.g. after a failed bind)
    }
  });

export async function startDiscoveryResponder(opts: DiscoveryResponderOptions): Promise<DiscoveryResponder> {
  const port = opts.port ?? 3702;
  const group = opts.multicastAddress ?? "239.255.255.250";
  const endpoint = opts.endpoint ?? stableEndpoint(`${opts.host} ${opts.xaddr}`);
  const scopes = [
    "onvif://www.onvif.org/type/video_encoder",
    "onvif://www.onvif.org/Profile/Streaming",
    scope("name", opts.name),
    scope("hardware", opts.hardware),
    scope("manufacturer", opts.manufacturer),
    ...(opts.location ? [scope("location", opts.location)] : []),
  ];
  const answered = { unicast: 0, multicast: 0 };

  const unicast = dgram.createSocket({ type: "udp4" });
  unicast.on("error", () => {});
  const sockets = [unicast];

  const delayed = new Set<NodeJS.Timeout>();
  let isClosed = false;

  // Answers always leave from the unicast socket, so their source is the camera's own address.
  const answer = (via: "unicast" | "multicast") => (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const probe = parseProbe(msg);
    if (!probe || !probe.types.every((t) => OUR_TYPES.has(t))) return;
    answered[via]++;
    const reply = buildProbeMatches({ relatesTo: probe.messageId, endpoint, xaddrs: [opts.xaddr], scopes });
    const send = () => {
      if (!isClosed) unicast.send(reply, rinfo.port, rinfo.address);
    };
    const delayMs = via === "multicast" ? Math.floor(Math.random() * ((opts.maxReplyDelayMs ?? 0) + 1)) : 0;
    if (delayMs === 0) return send();
    const t = setTimeout(() => {
      delayed.delete(t);
      send();
    }, delayMs);
    delayed.add(t);
  };
  unicast.on("message", answer("unicast"));

  try {
    await bind(unicast, port, opts.host);
    if (opts.multicast !== false) {
      const mc = dgram.createSocket({ type: "udp4", reuseAddr: true });
      sockets.push(mc);
      mc.on("error", () => {});
      mc.on("message", answer("multicast"));
      await bind(mc, port, group);
      const iface = opts.multicastInterface ?? opts.host;
      try {
        mc.addMembership(group, iface);
      } catch (err) {
        const code = (err as { code?: string }).code ?? String(err);
        throw new Error(
          `cannot join ${group} on ${iface} (${code}). On Linux, joining on an explicit 127.x address needs only lo up: ` +
            `run "ip link set lo up"; if it still fails: "ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo"`,
          { cause: err },
        );
      }
    }
  } catch (err) {
    await Promise.all(sockets.map(closeSocket));
    throw err;
  }

  return {
    endpoint,
    answered,
    close: async () => {
      isClosed = true;
      for (const t of delayed) clearTimeout(t);
      await Promise.all(sockets.map(closeSocket));
    },
  };
}

/**
 * Checks, in ~`timeoutMs`, that a multicast datagram sent on interface `iface` comes back to a member socket on this
 * host (what simulated-camera discovery relies on). Resolves { ok: true } or { ok: false, reason, fix }.
 */
export async function checkMulticastLoopback(opts: { port: number; multicastAddress?: string; iface?: string; timeoutMs?: number }): Promise<{ ok: true } | { ok: false; reason: string; fix: string }> {
  const group = opts.multicastAddress ?? "239.255.255.250";
  const iface = opts.iface ?? "127.0.0.1";
  const fix = `ip link set lo up; if that is not enough: ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo`;
  const rx = dgram.createSocket({ type: "udp4", reuseAddr: true });
  const tx = dgram.createSocket({ type: "udp4" });
  rx.on("error", () => {});
  tx.on("error", () => {});
  try {
    await bind(rx, opts.port, group);
    rx.addMembership(group, iface);
    await bind(tx, 0, "0.0.0.0");
    tx.setMulticastInterface(iface);
    tx.setMulticastLoopback(true);
    const token = `nightjar-multicast-check ${Math.random()}`;
    const heard = new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), opts.timeoutMs ?? 500);
      rx.on("message", (m) => {
        if (m.toString() === token) {
          clearTimeout(t);
          resolve(true);
        }
      });
    });
    await new Promise<void>((resolve, reject) => tx.send(token, opts.port, group, (e) => (e ? reject(e) : resolve())));
    return (await heard) ? { ok: true } : { ok: false, reason: `a datagram to ${group} on ${iface} did not come back`, fix };
  } catch (err) {
    return { ok: false, reason: `${(err as { code?: string }).code ?? String(err)} setting up multicast on ${iface}`, fix };
  } finally {
    await Promise.all([closeSocket(rx), closeSocket(tx)]);
  }
}
