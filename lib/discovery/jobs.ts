// Discovery jobs of the web process: a multicast search or an address-range sweep runs in the background while the
// admin's browser polls its progress; it can be cancelled. Jobs live in memory (one web process) and are forgotten
// JOB_TTL_MS after they end. Found cameras are marked when the household already has them.
import os from "node:os";
import type { Db } from "../db";
import { newId } from "../ids";
import { discoverMulticast, sweepRange, type DiscoveredCamera } from "./probe";
import { DiscoveryError, parseAddressRange } from "./ranges";

export const MULTICAST_WAIT_MS = 3_000;
export const JOB_TTL_MS = 10 * 60_000;

export type DiscoveryJobState = {
  id: string;
  mode: "multicast" | "range";
  status: "running" | "done" | "cancelled" | "failed";
  done: number;
  total: number;
  found: (DiscoveredCamera & { alreadyAdded: boolean; name: string | null })[];
  error: string | null;
  startedAt: string;
};

type Job = DiscoveryJobState & { controller: AbortController; endedAt: number | null };
const jobs = new Map<string, Job>();

export type DiscoveryConfig = {
  port: number;
  onvifHttpPort: number;
  /** Interface addresses to send the multicast probe from; null = every IPv4 interface. */
  interfaces: string[] | null;
  /** Address-range sweeps may include 127.0.0.0/8 (DISCOVERY_ALLOW_LOOPBACK). */
  allowLoopback?: boolean;
};

/** IPv4 addresses of this host's interfaces, loopback included (the simulated cameras of demo mode live there). */
function interfaceAddresses(config: DiscoveryConfig): string[] {
  if (config.interfaces?.length) return config.interfaces;
  const out = new Set<string>(["127.0.0.1"]);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4") out.add(a.address);
  return [...out];
}

async function knownHosts(db: Db): Promise<Set<string>> {
  const cameras = await db.camera.findMany({ select: { mainStreamUrl: true, onvifUrl: true } });
  const hosts = new Set<string>();
  for (const c of cameras) for (const u of [c.mainStreamUrl, c.onvifUrl]) if (u) hosts.add(new URL(u).hostname);
  return hosts;
}

function label(cam: DiscoveredCamera): string | null {
  return cam.info.name ?? ([cam.info.manufacturer, cam.info.hardware ?? cam.info.model].filter(Boolean).join(" ") || null);
}

function prune() {
  const now = Date.now();
  for (const [id, job] of jobs) if (job.endedAt && now - job.endedAt > JOB_TTL_MS) jobs.delete(id);
}

/** Starts a search; throws DiscoveryError for a bad range before anything runs. */
export function startDiscovery(db: Db, request: { mode: "multicast" } | { mode: "range"; range: string }, config: DiscoveryConfig): DiscoveryJobState {
  prune();
  const addresses = request.mode === "range" ? parseAddressRange(request.range, { allowLoopback: config.allowLoopback }) : null;
  const job: Job = {
    id: newId(),
    mode: request.mode,
    status: "running",
    done: 0,
    total: addresses ? addresses.length : interfaceAddresses(config).length,
    found: [],
    error: null,
    startedAt: new Date().toISOString(),
    controller: new AbortController(),
    endedAt: null,
  };
  jobs.set(job.id, job);
  void (async () => {
    try {
      const hosts = await knownHosts(db);
      const mark = (cams: DiscoveredCamera[]) => cams.map((c) => ({ ...c, alreadyAdded: hosts.has(c.address) || c.xaddrs.some((x) => hosts.has(safeHost(x))), name: label(c) }));
      if (addresses) {
        const found = await sweepRange(addresses, {
          port: config.port,
          http: { port: config.onvifHttpPort },
          signal: job.controller.signal,
          onProgress: (done) => (job.done = done),
        });
        job.found = mark(found);
      } else {
        const seen = new Map<string, DiscoveredCamera>();
        for (const iface of interfaceAddresses(config)) {
          if (job.controller.signal.aborted) break;
          try {
            for (const c of await discoverMulticast({ timeoutMs: MULTICAST_WAIT_MS / 2, interfaceAddress: iface, port: config.port, signal: job.controller.signal })) seen.set(c.endpoint || c.address, c);
          } catch (err) {
            if (!(err instanceof DiscoveryError)) throw err; // an interface without multicast: try the others
          }
          job.done++;
          job.found = mark([...seen.values()]);
        }
      }
      job.status = job.controller.signal.aborted ? "cancelled" : "done";
    } catch (err) {
      job.status = "failed";
      job.error = (err as Error).message;
    } finally {
      job.endedAt = Date.now();
    }
  })();
  return view(job);
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function view(job: Job): DiscoveryJobState {
  const { controller: _c, endedAt: _e, ...state } = job;
  void _c;
  void _e;
  return state;
}

export function getDiscovery(id: string): DiscoveryJobState | null {
  const job = jobs.get(id);
  return job ? view(job) : null;
}

export function cancelDiscovery(id: string): boolean {
  const job = jobs.get(id);
  if (!job) return false;
  job.controller.abort();
  return true;
}
