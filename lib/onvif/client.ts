// A lean ONVIF client (device + media ver10, PTZ ver20) over fetch: every request has a timeout and a response size
// cap, and every failure is an OnvifError with a stable code. identifyCamera() is what "add a camera" calls; the PTZ
// messages are ptz.ts's.
import { systemClock, type Clock } from "../clock";
import { ptzRequests, readPresets, readPtzXaddr, readSetPresetToken, readStatus, type PtzCameraPreset, type PtzCameraStatus, type PtzVector } from "./ptz";
import { createUsernameToken } from "./security";
import { readServiceXaddr, SERVICE_NS } from "./services";
import { SOAP_CONTENT_TYPE, buildEnvelope, readSoapResponse, type SoapMessage } from "./soap";
import { MAX_XML_BYTES, OnvifError, asArray, attrOf, childAt, escapeXml, intAt, textAt } from "./xml";

export { OnvifError, isOnvifError, type OnvifErrorCode } from "./xml";

/** Default time a single request may take, in ms (connect + answer + body). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** The path ONVIF reserves for the device service on port 80. */
export const DEVICE_SERVICE_PATH = "/onvif/device_service";


export type DeviceInformation = { manufacturer: string; model: string; firmwareVersion: string; serialNumber: string; hardwareId: string };

/** A media profile. Width/height in pixels, fps = frame-rate limit (frames/s), bitrate limit in kbit/s; null if the profile has no video encoder. */
export type MediaProfile = {
  token: string;
  name: string;
  encoding: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  bitrateKbps: number | null;
  /** The profile's PTZ configuration (null: the profile cannot move the camera). */
  ptzConfigurationToken: string | null;
};

export type OnvifClientOptions = {
  /** The device service URL, e.g. http://192.168.1.20/onvif/device_service. */
  xaddr: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Aborts every request of this client (e.g. the user left the page). */
  signal?: AbortSignal;
  clock?: Clock;
  fetch?: typeof fetch;
  /** The PTZ service URL when known (stored when the camera was added): saves asking for it. */
  ptzXaddr?: string;
};

/** One SOAP POST: returns the parsed message or throws OnvifError. Exported for the discovery sweep's HTTP check. */
export async function postSoap(opts: {
  url: string;
  envelope: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}): Promise<SoapMessage> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxBytes = opts.maxResponseBytes ?? MAX_XML_BYTES;
  const ctrl = new AbortController();
  const timeoutReason = new OnvifError("timeout", `no complete answer from ${opts.url} within ${timeoutMs} ms`);
  const timer = setTimeout(() => ctrl.abort(timeoutReason), timeoutMs);
  const onOuterAbort = () => ctrl.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();
  try {
    let res: Response;
    try {
      res = await (opts.fetch ?? fetch)(opts.url, {
        method: "POST",
        headers: { "content-type": SOAP_CONTENT_TYPE, accept: "application/soap+xml, text/xml" },
        body: opts.envelope,
        signal: ctrl.signal,
        redirect: "manual",
      });
    } catch (err) {
      throw networkError(err, ctrl.signal, opts.url);
    }
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new OnvifError("too_large", `answer of ${declared} bytes exceeds the ${maxBytes}-byte cap`);
    }
    let body: Uint8Array;
    try {
      body = await readCapped(res, maxBytes);
    } catch (err) {
      if (err instanceof OnvifError) throw err;
      throw networkError(err, ctrl.signal, opts.url);
    }
    return readSoapResponse({ status: res.status, contentType: res.headers.get("content-type"), body }, maxBytes);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** Reads a body, cancelling the stream as soon as it passes `maxBytes` (a chunked answer has no Content-Length). */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new OnvifError("too_large", `answer exceeds the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Maps a fetch failure: our timer → timeout; the caller's signal → rethrow its reason; refused/DNS/reset → unreachable. */
function networkError(err: unknown, signal: AbortSignal, url: string): unknown {
  if (signal.aborted) return signal.reason instanceof OnvifError ? signal.reason : (signal.reason ?? err);
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  const detail = code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "ETIMEDOUT") {
    return new OnvifError("timeout", `${url}: ${detail}`, { cause: err });
  }
  // Also a bad URL lands here (TypeError "Invalid URL"): the address is not reachable either way.
  return new OnvifError("unreachable", `${url}: ${detail}`, { cause: err });
}

/**
 * Where to send a service request, given the XAddr a camera reported and the device URL we actually reached.
 * Relative XAddrs resolve against the reached URL. A camera behind NAT or with a stale interface often reports
 * an address we cannot use: if the reported host differs from the reached one, keep the reported path and query
 * but use the reached scheme, host and port. Returns null for an empty or unparseable XAddr.
 */
export function resolveXaddr(reported: string | undefined, reached: string): string | null {
  const r = reported?.trim().split(/\s+/)[0];
  if (!r) return null;
  let base: URL;
  let u: URL;
  try {
    base = new URL(reached);
    u = new URL(r, base);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (u.hostname.toLowerCase() !== base.hostname.toLowerCase()) {
    u.protocol = base.protocol;
    u.hostname = base.hostname;
    u.port = base.port;
  }
  return u.toString();
}

/**
 * A stream or snapshot URI as the camera reported it, with the host replaced by the one we reached when they differ
 * (port, path, query kept: the RTSP port is the camera's own). Returns null for an unparseable URI.
 */
export function resolveMediaUri(reported: string | undefined, reached: string): string | null {
  const r = reported?.trim();
  if (!r) return null;
  try {
    const base = new URL(reached);
    const u = new URL(r, base);
    if (u.hostname.toLowerCase() !== base.hostname.toLowerCase()) u.hostname = base.hostname;
    return u.toString();
  } catch {
    return null;
  }
}

/** Reads GetProfilesResponse (media ver10) into profiles; profiles without a token are skipped. */
export function readProfiles(body: unknown): MediaProfile[] {
  const out: MediaProfile[] = [];
  for (const p of asArray(childAt(body, "GetProfilesResponse") && (childAt(body, "GetProfilesResponse") as Record<string, unknown>)["Profiles"])) {
    const token = attrOf(p, "token");
    if (!token) continue;
    const vec = childAt(p, "VideoEncoderConfiguration");
    const positive = (n: number | undefined) => (n !== undefined && n > 0 ? n : null);
    out.push({
      token,
      name: textAt(p, "Name") ?? token,
      encoding: vec === undefined ? null : (textAt(vec, "Encoding") ?? null),
      width: positive(intAt(vec, "Resolution", "Width")),
      height: positive(intAt(vec, "Resolution", "Height")),
      fps: positive(intAt(vec, "RateControl", "FrameRateLimit")),
      bitrateKbps: positive(intAt(vec, "RateControl", "BitrateLimit")),
      ptzConfigurationToken: attrOf(childAt(p, "PTZConfiguration"), "token") ?? null,
    });
  }
  return out;
}

/** Reads the media service XAddr from GetCapabilitiesResponse. */
export const readCapabilitiesMediaXaddr = (body: unknown) => textAt(body, "GetCapabilitiesResponse", "Capabilities", "Media", "XAddr");

/** The event service XAddr from GetServicesResponse (ver10 events namespace) or GetCapabilitiesResponse. */
export const readEventsXaddr = (body: unknown) => readServiceXaddr(body, SERVICE_NS.events, "Events");

/** Reads the media ver10 XAddr from GetServicesResponse. */
export const readServicesMediaXaddr = (body: unknown) => readServiceXaddr(body, SERVICE_NS.media);

export type OnvifClient = ReturnType<typeof createOnvifClient>;

/** A client for one device. Calls are sequential-safe and stateless apart from the clock offset and media XAddr cache. */
export function createOnvifClient(opts: OnvifClientOptions) {
  const clock = opts.clock ?? systemClock;
  const deviceXaddr = opts.xaddr;
  let clockOffsetMs = 0; // camera clock − our clock, ms; set by syncClock()
  let mediaXaddr: string | null = null;
  let ptzXaddr: string | null | undefined = opts.ptzXaddr; // undefined: not asked yet; null: the camera has no PTZ service
  let eventsXaddr: string | null | undefined; // likewise for the event service

  async function call(url: string, body: string, authenticated = true): Promise<SoapMessage> {
    const security =
      authenticated && opts.username !== undefined && opts.username !== ""
        ? createUsernameToken({ username: opts.username, password: opts.password ?? "", clock, clockOffsetMs })
        : null;
    return postSoap({ url, envelope: buildEnvelope({ body, security }), timeoutMs: opts.timeoutMs, maxResponseBytes: opts.maxResponseBytes, signal: opts.signal, fetch: opts.fetch });
  }

  /** A service's URL: GetServices, else GetCapabilities of `category`; null when neither names one (faults count as none). */
  async function findServiceXaddr(category: string, read: (body: unknown) => string | undefined): Promise<string | null> {
    for (const req of ["<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>", `<tds:GetCapabilities><tds:Category>${category}</tds:Category></tds:GetCapabilities>`]) {
      try {
        const found = resolveXaddr(read((await call(deviceXaddr, req)).body), deviceXaddr);
        if (found) return found;
      } catch (err) {
        if (!(err instanceof OnvifError && err.fault && err.code === "bad_response")) throw err;
      }
    }
    return null;
  }

  const need = (v: string | undefined, what: string): string => {
    if (v === undefined) throw new OnvifError("bad_response", `${what} missing from the answer`);
    return v;
  };

  const client = {
    deviceXaddr,

    /** The camera's UTC clock (unauthenticated, as the spec requires); null if it does not report one. */
    async getSystemDateAndTime(): Promise<Date | null> {
      const { body } = await call(deviceXaddr, "<tds:GetSystemDateAndTime/>", false);
      const utc = childAt(body, "GetSystemDateAndTimeResponse", "SystemDateAndTime", "UTCDateTime");
      const [y, mo, d, h, mi, s] = [intAt(utc, "Date", "Year"), intAt(utc, "Date", "Month"), intAt(utc, "Date", "Day"), intAt(utc, "Time", "Hour"), intAt(utc, "Time", "Minute"), intAt(utc, "Time", "Second")];
      if ([y, mo, d, h, mi, s].some((v) => v === undefined)) return null;
      const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
      return Number.isNaN(t) ? null : new Date(t);
    },

    /**
     * Aligns our token timestamps with the camera's clock (cameras refuse tokens more than a few minutes off).
     * Faults are ignored (offset stays 0); unreachable/timeout/not_onvif/bad XML propagate: it is the first contact.
     */
    async syncClock(): Promise<number> {
      try {
        const camera = await client.getSystemDateAndTime();
        if (camera) clockOffsetMs = camera.getTime() - clock.now().getTime();
      } catch (err) {
        if (!(err instanceof OnvifError && (err.fault || err.code === "auth_failed"))) throw err;
      }
      return clockOffsetMs;
    },

    async getDeviceInformation(): Promise<DeviceInformation> {
      const { body } = await call(deviceXaddr, "<tds:GetDeviceInformation/>");
      const r = childAt(body, "GetDeviceInformationResponse");
      if (r === undefined) throw new OnvifError("bad_response", "no GetDeviceInformationResponse");
      return {
        manufacturer: textAt(r, "Manufacturer") ?? "",
        model: textAt(r, "Model") ?? "",
        firmwareVersion: textAt(r, "FirmwareVersion") ?? "",
        serialNumber: textAt(r, "SerialNumber") ?? "",
        hardwareId: textAt(r, "HardwareId") ?? "",
      };
    },

    /** Media XAddr per GetCapabilities (resolved against the device URL), or null if the camera reports none. */
    async getCapabilities(): Promise<{ mediaXaddr: string | null }> {
      const { body } = await call(deviceXaddr, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>");
      return { mediaXaddr: resolveXaddr(readCapabilitiesMediaXaddr(body), deviceXaddr) };
    },

    async getServices(): Promise<{ mediaXaddr: string | null }> {
      const { body } = await call(deviceXaddr, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>");
      return { mediaXaddr: resolveXaddr(readServicesMediaXaddr(body), deviceXaddr) };
    },

    /**
     * The media service URL: GetCapabilities (Profile S, universal), else GetServices, else the device URL itself
     * (many cameras serve every service on one endpoint). Cached. Auth, network and hostile-XML errors propagate.
     */
    async getMediaXaddr(): Promise<string> {
      if (mediaXaddr) return mediaXaddr;
      for (const ask of [client.getCapabilities, client.getServices]) {
        try {
          const r = await ask();
          if (r.mediaXaddr) return (mediaXaddr = r.mediaXaddr);
        } catch (err) {
          if (!(err instanceof OnvifError && err.fault && err.code === "bad_response")) throw err;
        }
      }
      return (mediaXaddr = deviceXaddr);
    },

    /**
     * The PTZ service URL (GetServices, else GetCapabilities), or null when the camera reports none. Cached. A fault
     * on both asks means no PTZ; network and auth errors propagate.
     */
    async getPtzXaddr(): Promise<string | null> {
      if (ptzXaddr === undefined) ptzXaddr = await findServiceXaddr("PTZ", readPtzXaddr);
      return ptzXaddr;
    },

    /** The event service URL, found like getPtzXaddr's. Cached. */
    async getEventsXaddr(): Promise<string | null> {
      if (eventsXaddr === undefined) eventsXaddr = await findServiceXaddr("Events", readEventsXaddr);
      return eventsXaddr;
    },

    /**
     * One authenticated request to `url` (a service or a subscription the camera named; resolved against the device
     * URL like every XAddr): the answer's body. A fault is an OnvifError. For the event subscriber (events.ts).
     */
    async raw(url: string, body: string): Promise<unknown> {
      const target = resolveXaddr(url, deviceXaddr);
      if (!target) throw new OnvifError("bad_response", `not an address: ${url}`);
      return (await call(target, body)).body;
    },

    /** PTZ on one profile (its token must have a PTZ configuration): moves, status and presets. */
    ptz(profileToken: string) {
      const send = async (body: string) => {
        const url = await client.getPtzXaddr();
        if (!url) throw new OnvifError("bad_response", "the camera has no PTZ service");
        return (await call(url, body)).body;
      };
      return {
        /** Moves at `velocity` (each axis in [-1, 1]) until stop() or `timeoutMs`. */
        continuousMove: async (velocity: Partial<PtzVector>, timeoutMs?: number) => void (await send(ptzRequests.continuousMove(profileToken, velocity, timeoutMs))),
        stop: async () => void (await send(ptzRequests.stop(profileToken))),
        absoluteMove: async (position: Partial<PtzVector>) => void (await send(ptzRequests.absoluteMove(profileToken, position))),
        relativeMove: async (translation: Partial<PtzVector>) => void (await send(ptzRequests.relativeMove(profileToken, translation))),
        getStatus: async (): Promise<PtzCameraStatus> => {
          const status = readStatus(await send(ptzRequests.getStatus(profileToken)));
          if (!status) throw new OnvifError("bad_response", "no PTZStatus in GetStatusResponse");
          return status;
        },
        getPresets: async (): Promise<PtzCameraPreset[]> => readPresets(await send(ptzRequests.getPresets(profileToken))),
        /** Saves where the camera points as a preset (a new one, or over `presetToken`); its token. */
        setPreset: async (name: string, presetToken?: string): Promise<string> => need(readSetPresetToken(await send(ptzRequests.setPreset(profileToken, name, presetToken))), "preset token"),
        removePreset: async (presetToken: string) => void (await send(ptzRequests.removePreset(profileToken, presetToken))),
        gotoPreset: async (presetToken: string) => void (await send(ptzRequests.gotoPreset(profileToken, presetToken))),
        gotoHome: async () => void (await send(ptzRequests.gotoHomePosition(profileToken))),
        setHome: async () => void (await send(ptzRequests.setHomePosition(profileToken))),
      };
    },

    async getProfiles(): Promise<MediaProfile[]> {
      const { body } = await call(await client.getMediaXaddr(), "<trt:GetProfiles/>");
      if (childAt(body, "GetProfilesResponse") === undefined) throw new OnvifError("bad_response", "no GetProfilesResponse");
      return readProfiles(body);
    },

    /** The RTSP URI (RTP unicast over RTSP) of a profile, host corrected as in resolveMediaUri. */
    async getStreamUri(profileToken: string): Promise<string> {
      const req =
        `<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>` +
        `<trt:ProfileToken>${escapeXml(profileToken)}</trt:ProfileToken></trt:GetStreamUri>`;
      const { body } = await call(await client.getMediaXaddr(), req);
      const uri = resolveMediaUri(need(textAt(body, "GetStreamUriResponse", "MediaUri", "Uri"), "stream URI"), deviceXaddr);
      if (!uri || !/^rtsps?:/i.test(uri)) throw new OnvifError("bad_response", `not an RTSP URI: ${uri}`);
      return uri;
    },

    async getSnapshotUri(profileToken: string): Promise<string> {
      const { body } = await call(await client.getMediaXaddr(), `<trt:GetSnapshotUri><trt:ProfileToken>${escapeXml(profileToken)}</trt:ProfileToken></trt:GetSnapshotUri>`);
      const uri = resolveMediaUri(need(textAt(body, "GetSnapshotUriResponse", "MediaUri", "Uri"), "snapshot URI"), deviceXaddr);
      if (!uri || !/^https?:/i.test(uri)) throw new OnvifError("bad_response", `not an HTTP snapshot URI: ${uri}`);
      return uri;
    },
  };
  return client;
}

export type IdentifiedProfile = { token: string; name: string; width: number; height: number; fps: number | null; bitrateKbps: number | null; encoding: string; streamUri: string };

export type CameraIdentity = {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  deviceXaddr: string;
  /** Video profiles, largest first (by pixels, then bitrate). */
  profiles: IdentifiedProfile[];
  /** Token of the largest profile (record this); of the smallest (live grid / motion), equal to main with one profile. */
  mainToken: string;
  subToken: string;
  snapshotUri: string | null;
  /** Where to send PTZ commands, and for which profile; null when the camera cannot pan, tilt or zoom. */
  ptz: { xaddr: string; profileToken: string } | null;
};

/** Orders video profiles largest first (pixels, then bitrate, then fps); stable for equal ones. */
export function sortProfilesBySize<T extends { width: number; height: number; bitrateKbps: number | null; fps: number | null }>(profiles: T[]): T[] {
  return [...profiles].sort((a, b) => b.width * b.height - a.width * a.height || (b.bitrateKbps ?? 0) - (a.bitrateKbps ?? 0) || (b.fps ?? 0) - (a.fps ?? 0));
}

/** The device service URL from a full XAddr or host (+ port, default 80). */
export function deviceUrl(target: { xaddr?: string; host?: string; port?: number }): string {
  if (target.xaddr) return target.xaddr;
  if (!target.host) throw new OnvifError("unreachable", "neither xaddr nor host given");
  const host = target.host.includes(":") && !target.host.startsWith("[") ? `[${target.host}]` : target.host;
  return `http://${host}${target.port && target.port !== 80 ? `:${target.port}` : ""}${DEVICE_SERVICE_PATH}`;
}

/**
 * Everything "add a camera" needs, in one go: clock sync, device information, video profiles with their RTSP URIs,
 * and a snapshot URI (null when the camera has none). `timeoutMs` bounds the whole identification, not each request.
 */
export async function identifyCamera(opts: {
  xaddr?: string;
  host?: string;
  port?: number;
  username: string;
  password: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  fetch?: typeof fetch;
}): Promise<CameraIdentity> {
  const totalMs = opts.timeoutMs ?? 15_000;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new OnvifError("timeout", `camera identification took over ${totalMs} ms`)), totalMs);
  const onOuterAbort = () => ctrl.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();
  try {
    const xaddr = deviceUrl(opts);
    // One budget for all requests: the shared signal aborts whatever is in flight at the deadline with "timeout".
    const c = createOnvifClient({ xaddr, username: opts.username, password: opts.password, timeoutMs: totalMs, signal: ctrl.signal, clock: opts.clock, fetch: opts.fetch });
    await c.syncClock();
    const info = await c.getDeviceInformation();
    const profiles = (await c.getProfiles()).filter(
      (p): p is MediaProfile & { width: number; height: number } => p.width !== null && p.height !== null,
    );
    if (profiles.length === 0) throw new OnvifError("bad_response", "the camera reports no video profile");
    const identified: IdentifiedProfile[] = [];
    for (const p of sortProfilesBySize(profiles)) {
      identified.push({ token: p.token, name: p.name, width: p.width, height: p.height, fps: p.fps, bitrateKbps: p.bitrateKbps, encoding: p.encoding ?? "", streamUri: await c.getStreamUri(p.token) });
    }
    let snapshotUri: string | null = null;
    try {
      snapshotUri = await c.getSnapshotUri(identified[0].token);
    } catch (err) {
      // Snapshots are optional in Profile S: a fault (ActionNotSupported) or a useless answer is "no snapshot".
      if (!(err instanceof OnvifError && err.code === "bad_response")) throw err;
    }
    // PTZ is optional: a profile with a PTZ configuration (the recorded one if it has one) and a PTZ service.
    const sorted = sortProfilesBySize(profiles);
    const ptzProfile = sorted.find((p) => p.ptzConfigurationToken !== null);
    let ptz: CameraIdentity["ptz"] = null;
    if (ptzProfile) {
      const ptzXaddr = await c.getPtzXaddr();
      if (ptzXaddr) ptz = { xaddr: ptzXaddr, profileToken: ptzProfile.token };
    }
    return {
      manufacturer: info.manufacturer,
      model: info.model,
      firmware: info.firmwareVersion,
      serial: info.serialNumber,
      hardwareId: info.hardwareId,
      deviceXaddr: xaddr,
      profiles: identified,
      mainToken: identified[0].token,
      subToken: identified[identified.length - 1].token,
      snapshotUri,
      ptz,
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}
