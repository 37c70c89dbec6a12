// The simulated camera's ONVIF device and media services (ver10) over node:http, with WS-UsernameToken digest auth
// like a real camera: enough of Profile S for Nightjar's client, tests and e2e fixtures. Not for production use.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../clock";
import { NonceCache, readUsernameToken, verifyUsernameToken } from "../onvif/security";
import { SOAP_CONTENT_TYPE, buildEnvelope, buildFault, parseEnvelope } from "../onvif/soap";
import { escapeXml, textAt } from "../onvif/xml";

/** Largest request body the simulator reads, in bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

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
  /** The camera's clock (tokens are checked against it; GetSystemDateAndTime reports it). */
  clock?: Clock;
};

export type OnvifService = {
  host: string;
  port: number;
  deviceXaddr: string;
  mediaXaddr: string;
  /** Changes the FirmwareVersion that GetDeviceInformation reports from now on. */
  setFirmware(version: string): void;
  /** Requests answered so far, by action name (for tests). */
  readonly calls: Record<string, number>;
  close(): Promise<void>;
};

type Profile = { token: string; name: string; width: number; height: number; fps: number; bitrateKbps: number; path: string };
const PROFILES: Profile[] = [
  { token: "main", name: "main", width: 1920, height: 1080, fps: 25, bitrateKbps: 4000, path: "/main" },
  { token: "sub", name: "sub", width: 640, height: 360, fps: 25, bitrateKbps: 512, path: "/sub" },
];

/** Actions anyone may call: clock sync and service discovery, as on real cameras. */
const UNAUTHENTICATED = new Set(["GetSystemDateAndTime", "GetCapabilities", "GetServices"]);
const DEVICE_ACTIONS = new Set(["GetSystemDateAndTime", "GetCapabilities", "GetServices", "GetDeviceInformation"]);
const MEDIA_ACTIONS = new Set(["GetProfiles", "GetStreamUri", "GetSnapshotUri"]);

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
  let firmware = opts.firmware;
  const calls: Record<string, number> = {};
  let port = opts.port;
  const reported = () => `${opts.reportedHost ?? opts.host}`;
  const base = () => `http://${reported()}:${port}`;

  const responses: Record<string, (req: unknown) => string> = {
    GetSystemDateAndTime: () => {
      const d = clock.now();
      return (
        `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
        `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
        `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
        `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
      );
    },
    GetDeviceInformation: () =>
      `<tds:GetDeviceInformationResponse><tds:Manufacturer>${escapeXml(opts.manufacturer)}</tds:Manufacturer><tds:Model>${escapeXml(opts.model)}</tds:Model>` +
      `<tds:FirmwareVersion>${escapeXml(firmware)}</tds:FirmwareVersion><tds:SerialNumber>${escapeXml(opts.serial)}</tds:SerialNumber>` +
      `<tds:HardwareId>${escapeXml(opts.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`,
    GetCapabilities: () =>
      `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${base()}/onvif/device_service</tt:XAddr></tt:Device>` +
      `<tt:Media><tt:XAddr>${base()}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
      `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`,
    GetServices: () =>
      `<tds:GetServicesResponse>` +
      `<tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace><tds:XAddr>${base()}/onvif/device_service</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>` +
      `<tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace><tds:XAddr>${base()}/onvif/media_service</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>` +
      `</tds:GetServicesResponse>`,
    GetProfiles: () =>
      `<trt:GetProfilesResponse>${PROFILES.map(
        (p) =>
          `<trt:Profiles token="${p.token}" fixed="true"><tt:Name>${p.name}</tt:Name>` +
          `<tt:VideoSourceConfiguration token="vsc"><tt:Name>vsc</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>vs</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"/></tt:VideoSourceConfiguration>` +
          `<tt:VideoEncoderConfiguration token="vec_${p.token}"><tt:Name>vec_${p.token}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
          `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
          `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
          `<tt:H264><tt:GovLength>${p.fps}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264><tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles>`,
      ).join("")}</trt:GetProfilesResponse>`,
    GetStreamUri: (req) => {
      const p = profileOf(req, "GetStreamUri");
      return `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://${reported()}:${opts.rtspPort}${p.path}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`;
    },
    GetSnapshotUri: (req) => {
      profileOf(req, "GetSnapshotUri");
      return `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${base()}/snapshot.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`;
    },
  };

  function profileOf(body: unknown, action: string): Profile {
    const token = textAt(body, action, "ProfileToken");
    const p = PROFILES.find((x) => x.token === token);
    if (!p) throw new SoapFailure(400, "Sender", ["ter:InvalidArgVal", "ter:NoProfile"], `no profile "${token ?? ""}"`);
    return p;
  }

  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/snapshot.jpg") {
      void generateSnapshot().then((jpeg) => (jpeg ? send(200, "image/jpeg", jpeg) : send(404, "text/plain", "no snapshot")));
      return;
    }
    const service = path === "/onvif/device_service" ? DEVICE_ACTIONS : path === "/onvif/media_service" ? MEDIA_ACTIONS : null;
    if (req.method !== "POST" || !service) return send(404, "text/html", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      try {
        const msg = parseEnvelope(Buffer.concat(chunks));
        const action = Object.keys(msg.body).find((k) => !k.startsWith("@_") && k !== "#text");
        if (!action || !service.has(action)) throw new SoapFailure(400, "Sender", ["ter:ActionNotSupported"], `unsupported action ${action ?? "(none)"}`);
        if (!UNAUTHENTICATED.has(action)) {
          const verdict = verifyUsernameToken(readUsernameToken(msg.header), { username: opts.username, password: opts.password, now: clock.now(), nonces });
          // ONVIF core spec: a rejected WS-Security token is answered with HTTP 400 and ter:NotAuthorized.
          if (!verdict.ok) throw new SoapFailure(400, "Sender", ["ter:NotAuthorized"], `Sender not Authorized (${verdict.reason})`);
        }
        calls[action] = (calls[action] ?? 0) + 1;
        send(200, SOAP_CONTENT_TYPE, buildEnvelope({ body: responses[action](msg.body) }));
      } catch (err) {
        if (err instanceof SoapFailure) return send(err.status, SOAP_CONTENT_TYPE, buildFault({ code: err.code, subcodes: err.subcodes, reason: err.message }));
        send(400, SOAP_CONTENT_TYPE, buildFault({ code: "Sender", subcodes: ["ter:WellFormed"], reason: "malformed request" }));
      }
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
    deviceXaddr: `http://${opts.host}:${port}/onvif/device_service`,
    mediaXaddr: `http://${opts.host}:${port}/onvif/media_service`,
    setFirmware: (v) => {
      firmware = v;
    },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
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
