// The simulator's control API: a small JSON HTTP server on loopback so that e2e tests and benchmarks in another
// process can flip motion, outages and firmware, and read traffic counters; plus a typed client for it.
//   GET  /cameras                     → CameraView[] (incl. each camera's main codec, sound, scene and fps)
//   GET  /cameras/:i                  → CameraView
//   GET  /cameras/:i/bytes            → TrafficStats (per RTSP connection)
//   POST /cameras/:i/motion   {on: boolean}
//   POST /cameras/:i/outage   {mode: "refuse" | "stall" | "off"}
//   POST /cameras/:i/firmware {version: string}
//   POST /cameras/:i/resolution {variant: "default" | "alt"}   main stream 1920x1080 ↔ 1280x720 (replay mode; 409 in live)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { OutageMode, TrafficStats } from "./rtsp-server";
import type { AudioSetting } from "./audio";
import type { VideoCodecName } from "./rtp";
import type { MainResolution, Simulator } from "./simulator";
import { applyKeepAlive } from "../http/keep-alive";

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 16 * 1024;

export type CameraView = {
  index: number;
  name: string;
  host: string;
  rtspUrl: { main: string; sub: string };
  onvifUrl: string | null;
  serial: string;
  firmware: string;
  motion: boolean;
  outage: OutageMode;
  /** The main stream's picture size: the clip spec's, or the alternative one. */
  resolution: MainResolution;
  /** The main stream's codec, "h264" or "h265" (the sub stream is always H.264). */
  codec: VideoCodecName;
  /** The camera's sound on /main and /sub: "none", "aac", "pcmu" or "pcma". */
  audio: AudioSetting;
  /** The video file the camera replays (absolute path), or null for the synthetic picture. */
  scene: string | null;
  /** Frames per second of both streams (a scene's own rate). */
  fps: number;
  /** Where the PTZ head points (pan, tilt in [-1, 1], zoom in [0, 1]), or null for a fixed camera. */
  ptz: { pan: number; tilt: number; zoom: number } | null;
  /** The view the picture shows (it follows the head), or null. */
  ptzView: string | null;
  /** Live ONVIF pull-point subscriptions. */
  eventSubscriptions: number;
  /** RTSP bytes since start (all connections, UDP included). */
  bytesSent: number;
  bytesReceived: number;
};

export type ControlServer = { url: string; port: number; close(): Promise<void> };

const motionBody = z.object({ on: z.boolean() });
const outageBody = z.object({ mode: z.enum(["refuse", "stall", "off"]) });
const firmwareBody = z.object({ version: z.string().trim().min(1).max(64) });
const resolutionBody = z.object({ variant: z.enum(["default", "alt"]) });

function viewOf(sim: Simulator, index: number): CameraView {
  const c = sim.cameras[index];
  const t = sim.bytes(index);
  return {
    index: c.index,
    name: c.name,
    host: c.host,
    rtspUrl: { ...c.rtspUrl },
    onvifUrl: c.onvifUrl,
    serial: c.serial,
    firmware: c.firmware,
    motion: c.motion,
    outage: c.outage,
    resolution: c.resolution,
    codec: c.codec,
    audio: c.audio,
    scene: c.scene,
    fps: c.fps,
    ptz: c.ptz,
    ptzView: c.ptzView,
    eventSubscriptions: c.eventSubscriptions,
    bytesSent: t.bytesSent,
    bytesReceived: t.bytesReceived,
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "body too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid JSON");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return r.data;
}

/** Routes one request: parse → act on the simulator → JSON. */
async function route(sim: Simulator, req: http.IncomingMessage): Promise<unknown> {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  if (pathname === "/cameras") {
    if (method !== "GET") throw new HttpError(405, "method not allowed");
    return sim.cameras.map((c) => viewOf(sim, c.index));
  }
  const m = /^\/cameras\/(\d+)(?:\/(motion|outage|firmware|resolution|bytes))?$/.exec(pathname);
  if (!m) throw new HttpError(404, "not found");
  const index = Number(m[1]);
  if (!sim.cameras[index]) throw new HttpError(404, `no camera ${index}`);
  const action = m[2];
  if (!action || action === "bytes") {
    if (method !== "GET") throw new HttpError(405, "method not allowed");
    return action ? sim.bytes(index) : viewOf(sim, index);
  }
  if (method !== "POST") throw new HttpError(405, "method not allowed");
  const body = await readJson(req);
  if (action === "motion") sim.setMotion(index, parse(motionBody, body).on);
  else if (action === "outage") await sim.setOutage(index, parse(outageBody, body).mode);
  else if (action === "resolution") {
    const { variant } = parse(resolutionBody, body);
    if (sim.mode !== "replay") throw new HttpError(409, "resolution changes need replay mode");
    await sim.setResolution(index, variant);
  } else sim.setFirmware(index, parse(firmwareBody, body).version);
  return viewOf(sim, index);
}

export async function startControlServer(opts: { simulator: Simulator; host?: string; port: number }): Promise<ControlServer> {
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    route(opts.simulator, req).then(
      (body) => send(res, 200, body),
      (err: unknown) => send(res, err instanceof HttpError ? err.status : 500, { error: err instanceof Error ? err.message : String(err) }),
    );
  });
  // Test suites pause between calls on one request context: a short idle timeout would reset a reused socket.
  applyKeepAlive(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export type SimulatorClient = {
  cameras(): Promise<CameraView[]>;
  camera(index: number): Promise<CameraView>;
  bytes(index: number): Promise<TrafficStats>;
  setMotion(index: number, on: boolean): Promise<CameraView>;
  setOutage(index: number, mode: OutageMode): Promise<CameraView>;
  setFirmware(index: number, version: string): Promise<CameraView>;
  setResolution(index: number, variant: MainResolution): Promise<CameraView>;
};

/** A typed client for the control API, e.g. createSimulatorClient("http://127.0.0.1:8999") in an e2e fixture. */
export function createSimulatorClient(baseUrl: string): SimulatorClient {
  const base = baseUrl.replace(/\/$/, "");
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator control ${method} ${path}: ${res.status} ${json.error ?? ""}`.trim());
    return json;
  };
  return {
    cameras: () => call("GET", "/cameras"),
    camera: (i) => call("GET", `/cameras/${i}`),
    bytes: (i) => call("GET", `/cameras/${i}/bytes`),
    setMotion: (i, on) => call("POST", `/cameras/${i}/motion`, { on }),
    setOutage: (i, mode) => call("POST", `/cameras/${i}/outage`, { mode }),
    setFirmware: (i, version) => call("POST", `/cameras/${i}/firmware`, { version }),
    setResolution: (i, variant) => call("POST", `/cameras/${i}/resolution`, { variant }),
  };
}
