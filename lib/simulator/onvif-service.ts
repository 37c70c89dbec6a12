// The simulated camera's ONVIF services over node:http, with WS-UsernameToken digest auth like a real camera: the
// Profile S device, media, PTZ (when the camera has a head) and event (pull-point) operations that ONVIF clients call
// (the `onvif` npm client, Home Assistant's integration, Frigate's autotracking, Nightjar's own client); any other action
// gets a SOAP fault (ter:ActionNotSupported). This file parses, authorizes and dispatches; the answers' XML is
// onvif-responses.ts, the PTZ mechanics ptz.ts, the subscriptions pull-points.ts. Not for production use.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../clock";
import { parseDuration } from "../onvif/duration";
import { NonceCache, readUsernameToken, verifyUsernameToken } from "../onvif/security";
import { SOAP_CONTENT_TYPE, buildEnvelope, buildFault, parseEnvelope } from "../onvif/soap";
import { attrOf, childAt, isNode, textAt } from "../onvif/xml";
import * as answer from "./onvif-responses";
import { MOTION_TOPICS, SERVICE_PATHS, SUBSCRIPTION_PATH, type CameraDescription, type StreamProfile } from "./onvif-responses";
import { PtzError, SimulatedPtz, type PtzVector } from "./ptz";
import { PullPoints, TooManySubscriptionsError, UnknownSubscriptionError, type EventMessage } from "./pull-points";

/** Largest request body the simulator reads, in bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;
/** A subscription's termination time when the request names none, in ms. */
const DEFAULT_TERMINATION_MS = 60_000;

/** A stream's picture as the camera describes it in its profiles. */
export type StreamShape = { width: number; height: number; fps: number; encoding: "H264" | "H265"; /** default: from the size */ bitrateKbps?: number };

export type OnvifServiceOptions = {
  /** Address to bind, e.g. "127.0.0.21". Also the host in the URLs it reports, unless reportedHost is given. */
  host: string;
  /** TCP port; 0 picks a free one (see OnvifService.port). */
  port: number;
  username: string;
  password: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  /** Port of the RTSP server the stream URIs point at (rtsp://host:rtspPort/main and /sub). */
  rtspPort: number;
  /** Host written into XAddrs and URIs instead of `host`, to play a camera behind NAT that reports the wrong one. */
  reportedHost?: string;
  /** The camera's clock (tokens are checked against it; GetSystemDateAndTime, events and PTZ status use it). */
  clock?: Clock;
  /** The streams as the profiles describe them (default: 1920×1080 and 640×360 H.264 at 25 fps). */
  streams?: { main: StreamShape; sub: StreamShape };
  /** A pan/tilt/zoom head (default false: no PTZ service, no PTZConfiguration in the profiles). */
  ptz?: boolean;
  /** The head to use (default: a new one on `clock`): a caller that moves the picture passes its own. */
  ptzHead?: SimulatedPtz;
};

export type OnvifService = {
  host: string;
  port: number;
  deviceXaddr: string;
  mediaXaddr: string;
  /** The PTZ service's address; null without a head. */
  ptzXaddr: string | null;
  eventsXaddr: string;
  /** The head (null without PTZ): its position is what the picture shows. */
  ptz: SimulatedPtz | null;
  /** Changes the FirmwareVersion that GetDeviceInformation reports from now on. */
  setFirmware(version: string): void;
  /** The camera's own motion detector: announced to every pull-point subscription when it changes. */
  setMotion(on: boolean): void;
  /** Live pull-point subscriptions. */
  readonly subscriptions: number;
  /** Requests answered so far, by action name (for tests). */
  readonly calls: Record<string, number>;
  close(): Promise<void>;
};

const DEFAULT_STREAMS: { main: StreamShape; sub: StreamShape } = {
  main: { width: 1920, height: 1080, fps: 25, encoding: "H264", bitrateKbps: 4000 },
  sub: { width: 640, height: 360, fps: 25, encoding: "H264", bitrateKbps: 512 },
};

/** Actions anyone may call: clock sync and service discovery, as on real cameras. */
const UNAUTHENTICATED = new Set(["GetSystemDateAndTime", "GetCapabilities", "GetServices"]);

let snapshotJpeg: Promise<Buffer | null> | null = null;

/** A small grey JPEG made once per process by ffmpeg (FFMPEG_PATH or "ffmpeg"); null when ffmpeg is missing. */
function generateSnapshot(): Promise<Buffer | null> {
  snapshotJpeg ??= new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const args = ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x180", "-frames:v", "1", "-f", "mjpeg", "pipe:1"];
    const child = spawn(process.env.FFMPEG_PATH || "ffmpeg", args, { stdio: ["ignore", "pipe", "ignore"] });
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code === 0 && chunks.length ? Buffer.concat(chunks) : null));
  });
  return snapshotJpeg;
}

export async function startOnvifService(opts: OnvifServiceOptions): Promise<OnvifService> {
  const clock = opts.clock ?? systemClock;
  const nonces = new NonceCache();
  const calls: Record<string, number> = {};
  let port = opts.port;
  const reported = () => `${opts.reportedHost ?? opts.host}`;
  const base = () => `http://${reported()}:${port}`;
  const streams = opts.streams ?? DEFAULT_STREAMS;
  const kbps = (s: StreamShape) => s.bitrateKbps ?? Math.round((s.width * s.height * s.fps) / 13_000); // ~4000 kbit/s at 1080p25
  const profiles: StreamProfile[] = (["main", "sub"] as const).map((name) => ({ token: name, name, width: streams[name].width, height: streams[name].height, fps: streams[name].fps, encoding: streams[name].encoding, bitrateKbps: kbps(streams[name]), path: `/${name}` }));
  const ptz = opts.ptz ? (opts.ptzHead ?? new SimulatedPtz(clock)) : null;
  const pullPoints = new PullPoints(clock);
  let motion = false;
  let firmware = opts.firmware;
  const octets = opts.host.split(".").map((n) => Number(n) & 255);
  const camera = (): CameraDescription => ({
    manufacturer: opts.manufacturer,
    model: opts.model,
    firmware,
    serial: opts.serial,
    hardwareId: opts.hardwareId,
    hostname: `nightjar-sim-${opts.serial}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    mac: ["02", "00", ...octets.map((n) => n.toString(16).padStart(2, "0"))].slice(0, 6).join(":"),
    address: reported(),
    profiles,
    source: { width: streams.main.width, height: streams.main.height, fps: streams.main.fps },
    hasPtz: ptz !== null,
  });

  /** The two motion messages (the rule engine's cell motion and the video source's alarm) for a state. */
  const motionMessages = (on: boolean, operation: EventMessage["operation"]): EventMessage[] => {
    const utcTime = clock.now();
    return [
      { topic: MOTION_TOPICS.cell, utcTime, operation, source: [["VideoSourceConfigurationToken", "vsc"], ["VideoAnalyticsConfigurationToken", "vac"], ["Rule", "MotionDetectorRule"]], data: [["IsMotion", String(on)]] },
      { topic: MOTION_TOPICS.alarm, utcTime, operation, source: [["Source", "vs"]], data: [["State", String(on)]] },
    ];
  };

  const profileOf = (body: unknown, action: string): StreamProfile => {
    const token = textAt(body, action, "ProfileToken");
    const p = profiles.find((x) => x.token === token);
    if (!p) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoProfile"], `no profile "${token ?? ""}"`);
    return p;
  };
  const head = (body: unknown, action: string): SimulatedPtz => {
    profileOf(body, action);
    if (!ptz) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoPTZProfile"], "this camera has no PTZ");
    return ptz;
  };
  /** A PTZVector element (PanTilt x/y, Zoom x) as the axes it names; a non-number is NaN (refused by the head). */
  const vectorAt = (body: unknown, ...path: string[]): Partial<PtzVector> => {
    const v = childAt(body, ...path);
    const num = (s: string | undefined) => (s === undefined ? undefined : s.trim() === "" ? Number.NaN : Number(s));
    const panTilt = isNode(v) ? childAt(v, "PanTilt") : undefined;
    const zoom = isNode(v) ? childAt(v, "Zoom") : undefined;
    const out: Partial<PtzVector> = {};
    if (panTilt !== undefined) {
      out.pan = num(attrOf(panTilt, "x")) ?? Number.NaN;
      out.tilt = num(attrOf(panTilt, "y")) ?? Number.NaN;
    }
    if (zoom !== undefined) out.zoom = num(attrOf(zoom, "x")) ?? Number.NaN;
    return out;
  };
  /** A termination time as ms from now: an xs:duration or an absolute xs:dateTime; `fallback` when absent. */
  const terminationMs = (text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const duration = parseDuration(text);
    if (duration !== null) return duration;
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "wsntw:UnacceptableInitialTerminationTimeFault"], `bad termination time "${text}"`);
    return at - clock.now().getTime();
  };
  const flag = (text: string | undefined) => text === "true" || text === "1";
  const ptzDo = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof PtzError) throw new SoapFailure(400, "Sender", err.subcodes, err.message);
      throw err;
    }
  };

  type Handler = (body: unknown, subscriptionId: string | null) => string | Promise<string>;
  const device: Record<string, Handler> = {
    GetSystemDateAndTime: () => answer.systemDateAndTime(clock.now()),
    GetDeviceInformation: () => answer.deviceInformation(camera()),
    GetCapabilities: () => answer.capabilities(camera(), base()),
    GetServices: (b) => answer.services(camera(), base(), flag(textAt(b, "GetServices", "IncludeCapability"))),
    GetServiceCapabilities: () => answer.deviceServiceCapabilities(),
    GetScopes: () => answer.scopes(camera()),
    GetHostname: () => answer.hostname(camera()),
    GetNetworkInterfaces: () => answer.networkInterfaces(camera()),
  };
  const media: Record<string, Handler> = {
    GetServiceCapabilities: () => answer.mediaServiceCapabilities(),
    GetProfiles: () => answer.profiles(camera()),
    GetProfile: (b) => answer.oneProfile(camera(), profileOf(b, "GetProfile")),
    GetVideoSources: () => answer.videoSources(camera()),
    GetVideoSourceConfigurations: () => answer.videoSourceConfigurations(camera()),
    GetVideoEncoderConfigurations: () => answer.videoEncoderConfigurations(camera()),
    GetVideoEncoderConfiguration: (b) => {
      const token = textAt(b, "GetVideoEncoderConfiguration", "ConfigurationToken");
      const p = profiles.find((x) => `vec_${x.token}` === token);
      if (!p) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoConfig"], `no configuration "${token ?? ""}"`);
      return answer.videoEncoderConfiguration1(p);
    },
    GetAudioSources: () => answer.emptyList("GetAudioSources"),
    GetAudioOutputs: () => answer.emptyList("GetAudioOutputs"),
    GetStreamUri: (b) => answer.mediaUri("GetStreamUri", `rtsp://${reported()}:${opts.rtspPort}${profileOf(b, "GetStreamUri").path}`),
    GetSnapshotUri: (b) => {
      profileOf(b, "GetSnapshotUri");
      return answer.mediaUri("GetSnapshotUri", `${base()}/snapshot.jpg`);
    },
  };
  const ptzService: Record<string, Handler> = {
    GetServiceCapabilities: () => answer.ptzServiceCapabilities(),
    GetNodes: () => answer.ptzNodes(),
    GetNode: (b) => {
      if (textAt(b, "GetNode", "NodeToken") !== "ptz_node") throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoEntity"], "no such PTZ node");
      return answer.ptzNode();
    },
    GetConfigurations: () => answer.ptzConfigurations(camera()),
    GetConfiguration: (b) => {
      if (textAt(b, "GetConfiguration", "PTZConfigurationToken") !== "ptz") throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoEntity"], "no such PTZ configuration");
      return answer.ptzConfigurationOne(camera());
    },
    GetConfigurationOptions: (b) => {
      if (textAt(b, "GetConfigurationOptions", "ConfigurationToken") !== "ptz") throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoEntity"], "no such PTZ configuration");
      return answer.ptzConfigurationOptions();
    },
    GetStatus: (b) => answer.ptzStatus(head(b, "GetStatus").status()),
    GetPresets: (b) => answer.presets(head(b, "GetPresets").presets()),
    SetPreset: (b) => {
      const h = head(b, "SetPreset");
      let token = "";
      ptzDo(() => (token = h.setPreset({ name: textAt(b, "SetPreset", "PresetName"), token: textAt(b, "SetPreset", "PresetToken") })));
      return answer.setPresetResponse(token);
    },
    RemovePreset: (b) => {
      const h = head(b, "RemovePreset");
      ptzDo(() => h.removePreset(textAt(b, "RemovePreset", "PresetToken") ?? ""));
      return answer.ptzDone("RemovePreset");
    },
    GotoPreset: (b) => {
      const h = head(b, "GotoPreset");
      ptzDo(() => h.gotoPreset(textAt(b, "GotoPreset", "PresetToken") ?? ""));
      return answer.ptzDone("GotoPreset");
    },
    GotoHomePosition: (b) => {
      head(b, "GotoHomePosition").gotoHome();
      return answer.ptzDone("GotoHomePosition");
    },
    SetHomePosition: (b) => {
      head(b, "SetHomePosition").setHome();
      return answer.ptzDone("SetHomePosition");
    },
    ContinuousMove: (b) => {
      const h = head(b, "ContinuousMove");
      const timeoutText = textAt(b, "ContinuousMove", "Timeout");
      const timeout = timeoutText === undefined ? null : parseDuration(timeoutText);
      if (timeoutText !== undefined && timeout === null) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:TimeoutNotSupported"], `bad timeout "${timeoutText}"`);
      ptzDo(() => h.continuousMove(vectorAt(b, "ContinuousMove", "Velocity"), timeout));
      return answer.ptzDone("ContinuousMove");
    },
    RelativeMove: (b) => {
      const h = head(b, "RelativeMove");
      ptzDo(() => h.relativeMove(vectorAt(b, "RelativeMove", "Translation")));
      return answer.ptzDone("RelativeMove");
    },
    AbsoluteMove: (b) => {
      const h = head(b, "AbsoluteMove");
      ptzDo(() => h.absoluteMove(vectorAt(b, "AbsoluteMove", "Position")));
      return answer.ptzDone("AbsoluteMove");
    },
    Stop: (b) => {
      const h = head(b, "Stop");
      const pt = textAt(b, "Stop", "PanTilt");
      const z = textAt(b, "Stop", "Zoom");
      // Both absent: stop everything; otherwise the axes marked true.
      h.stop(pt === undefined && z === undefined ? {} : { panTilt: flag(pt), zoom: flag(z) });
      return answer.ptzDone("Stop");
    },
  };
  const events: Record<string, Handler> = {
    GetServiceCapabilities: () => answer.eventServiceCapabilities(),
    GetEventProperties: () => answer.eventProperties(),
    CreatePullPointSubscription: (b) => {
      try {
        const sub = pullPoints.create(terminationMs(textAt(b, "CreatePullPointSubscription", "InitialTerminationTime"), DEFAULT_TERMINATION_MS), motionMessages(motion, "Initialized"));
        return answer.subscriptionCreated(`${base()}${SUBSCRIPTION_PATH}${sub.id}`, sub.now, sub.termination);
      } catch (err) {
        if (err instanceof TooManySubscriptionsError) throw new SoapFailure(503, "Receiver", ["ter:Action", "ter:TooManySubscriptions"], err.message);
        throw err;
      }
    },
  };
  const subscription: Record<string, Handler> = {
    PullMessages: async (b, id) => {
      const wait = parseDuration(textAt(b, "PullMessages", "Timeout"));
      const limit = Number(textAt(b, "PullMessages", "MessageLimit"));
      if (wait === null || !Number.isInteger(limit) || limit < 1) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal"], "PullMessages needs a Timeout (xs:duration) and a MessageLimit ≥ 1");
      const got = await pullPoints.pull(id!, wait, limit);
      return answer.pulled(got.messages, got.now, got.termination);
    },
    Renew: (b, id) => {
      const r = pullPoints.renew(id!, terminationMs(textAt(b, "Renew", "TerminationTime"), DEFAULT_TERMINATION_MS));
      return answer.renewed(r.now, r.termination);
    },
    Unsubscribe: (_b, id) => {
      pullPoints.unsubscribe(id!);
      return answer.unsubscribed();
    },
    SetSynchronizationPoint: (_b, id) => {
      // The current state of every property again, as on a new subscription.
      pullPoints.resend(id!, motionMessages(motion, "Initialized"));
      return answer.synchronizationPointSet();
    },
  };

  function serviceFor(path: string): { handlers: Record<string, Handler>; subscriptionId: string | null } | null {
    if (path === SERVICE_PATHS.device) return { handlers: device, subscriptionId: null };
    if (path === SERVICE_PATHS.media) return { handlers: media, subscriptionId: null };
    if (path === SERVICE_PATHS.events) return { handlers: events, subscriptionId: null };
    if (path === SERVICE_PATHS.ptz && ptz) return { handlers: ptzService, subscriptionId: null };
    if (path.startsWith(SUBSCRIPTION_PATH) && path.length > SUBSCRIPTION_PATH.length) return { handlers: subscription, subscriptionId: path.slice(SUBSCRIPTION_PATH.length) };
    return null;
  }

  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/snapshot.jpg") {
      void generateSnapshot().then((jpeg) => (jpeg ? send(200, "image/jpeg", jpeg) : send(404, "text/plain", "no snapshot")));
      return;
    }
    const service = serviceFor(path);
    if (req.method !== "POST" || !service) return send(404, "text/html", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      void (async () => {
        try {
          const msg = parseEnvelope(Buffer.concat(chunks));
          const action = Object.keys(msg.body).find((k) => !k.startsWith("@_") && k !== "#text");
          const handler = action !== undefined && Object.hasOwn(service.handlers, action) ? service.handlers[action] : undefined;
          if (!action || !handler) throw new SoapFailure(400, "Sender", ["ter:ActionNotSupported"], `unsupported action ${action ?? "(none)"}`);
          if (!UNAUTHENTICATED.has(action)) {
            const verdict = verifyUsernameToken(readUsernameToken(msg.header), { username: opts.username, password: opts.password, now: clock.now(), nonces });
            // ONVIF core spec: a rejected WS-Security token is answered with HTTP 400 and ter:NotAuthorized.
            if (!verdict.ok) throw new SoapFailure(400, "Sender", ["ter:NotAuthorized"], `Sender not Authorized (${verdict.reason})`);
          }
          calls[action] = (calls[action] ?? 0) + 1;
          send(200, SOAP_CONTENT_TYPE, buildEnvelope({ body: await handler(msg.body, service.subscriptionId) }));
        } catch (err) {
          if (err instanceof SoapFailure) return send(err.status, SOAP_CONTENT_TYPE, buildFault({ code: err.code, subcodes: err.subcodes, reason: err.message }));
          if (err instanceof UnknownSubscriptionError) return send(400, SOAP_CONTENT_TYPE, buildFault({ code: "Sender", subcodes: ["ter:InvalidArgVal", "ter:ResourceUnknown"], reason: err.message }));
          send(400, SOAP_CONTENT_TYPE, buildFault({ code: "Sender", subcodes: ["ter:WellFormed"], reason: "malformed request" }));
        }
      })();
    });
  });
  // No keep-alive lingering after close(): tests must not hang on idle sockets.
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    host: opts.host,
    port,
    deviceXaddr: `http://${opts.host}:${port}${SERVICE_PATHS.device}`,
    mediaXaddr: `http://${opts.host}:${port}${SERVICE_PATHS.media}`,
    ptzXaddr: ptz ? `http://${opts.host}:${port}${SERVICE_PATHS.ptz}` : null,
    eventsXaddr: `http://${opts.host}:${port}${SERVICE_PATHS.events}`,
    ptz,
    setFirmware: (v) => {
      firmware = v;
    },
    setMotion: (on) => {
      if (on === motion) return;
      motion = on;
      for (const m of motionMessages(on, "Changed")) pullPoints.publish(m);
    },
    get subscriptions() {
      return pullPoints.size;
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        pullPoints.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class SoapFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: "Sender" | "Receiver",
    readonly subcodes: string[],
    message: string,
  ) {
    super(message);
  }
}
