// The simulator's RTSP/1.0 server (RFC 2326) for one camera bound to its own loopback address: OPTIONS, DESCRIBE,
// SETUP (RTP/AVP/TCP interleaved or RTP/AVP UDP unicast, per track), PLAY, PAUSE, GET_PARAMETER/SET_PARAMETER
// (keep-alive), TEARDOWN; Digest (RFC 2617, MD5) and Basic authentication; RTCP sender reports; outage modes;
// per-connection byte counts. A path serves one or more tracks (RtpTrack): a MediaStream of video that sources push
// access units into (H.264 or H.265), optionally followed by an audio track (audio.ts); trackID=i is the i-th.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import type { AccessUnit } from "./annexb";
import { H264 } from "./h264";
import { buildSenderReport, buildSessionSdp, interleave, rtpTimestamp, sameParameterSets, SenderClock, VIDEO_CLOCK_HZ, type ParameterSets, type VideoCodec } from "./rtp";

/** Session timeout announced in the Session header and enforced, in seconds. */
export const RTSP_SESSION_TIMEOUT_S = 60;
/** A TCP client whose unsent backlog exceeds this many bytes skips frames until the next keyframe. */
const MAX_TCP_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Interval between RTCP sender reports to each client, in ms (RFC 3550 suggests ≥ 5 s). */
const SENDER_REPORT_INTERVAL_MS = 5000;
/** Largest request head we buffer before dropping the connection, in bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** Wall-clock time with sub-millisecond resolution, in ms since the Unix epoch (monotonic within the process). */
export const wallNowMs = (): number => performance.timeOrigin + performance.now();

/** One frame as sent (a video access unit, or an audio frame): RTP numbers assigned at push time; packets built on first use. */
export type RtpFrame = {
  /** A player can start here (video: a keyframe; audio: every frame). */
  isKey: boolean;
  rtpTime: number;
  firstSeq: number;
  packetCount: number;
  /** RTP payload bytes of all its packets (for sender reports). */
  payloadBytes: number;
  /** Position on the camera's frame-counted media timeline, in ms (video frame n: n × 1000 / fps). */
  mediaMs: number;
  packets?: Buffer[];
  interleaved?: Map<number, Buffer>;
};

/** A video access unit as sent. */
export type VideoFrame = RtpFrame & { au: AccessUnit };

/** One media source of a path, as the server uses it: SDP lines, frames to send, and the RTP clock for sender reports. */
export interface RtpTrack {
  readonly name: string;
  readonly ssrc: number;
  /** RTP clock rate, in Hz. */
  readonly clockRate: number;
  /** Resolves true once DESCRIBE can describe the track, false after timeoutMs. */
  ready(timeoutMs?: number): Promise<boolean>;
  /** The track's SDP media section from its m= line, without a=control. */
  sdpMedia(): string[];
  /**
   * Frames a new player gets at once, before live ones. Video: the current GOP (the argument is ignored). Audio: the
   * kept frames from media time `sinceMediaMs` on (the first video frame's), none when null.
   */
  backlog(sinceMediaMs: number | null): readonly RtpFrame[];
  /** The frame's RTP packets (built once, cached on the frame). */
  packetsOf(frame: RtpFrame): Buffer[];
  /** RTP time corresponding to a wall-clock instant (ms since the epoch), on the track's SenderClock line. */
  rtpTimeAt(wallMs: number): number;
  listen(fn: (frame: RtpFrame) => void): () => void;
}

/**
 * The video of one RTSP media path of a camera (e.g. /main), H.264 or H.265. Sources push access units; it stamps
 * continuous RTP sequence numbers and 90 kHz timestamps (frame-counted, so they stay continuous across clip switches
 * and source restarts), keeps the current GOP for fast starts, and fans out to the servers' subscribers.
 */
export class MediaStream implements RtpTrack {
  readonly ssrc = randomInt(0, 2 ** 32 - 1) >>> 0;
  readonly clockRate = VIDEO_CLOCK_HZ;
  parameterSets?: ParameterSets;
  private seq = randomInt(0, 0xffff);
  private readonly tsBase = randomInt(0, 2 ** 32 - 1) >>> 0;
  private frameCount = 0;
  private readonly clock = new SenderClock();
  private gop: VideoFrame[] = [];
  private readonly listeners = new Set<(frame: VideoFrame) => void>();
  private readyWaiters: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly fps: number,
    readonly codec: VideoCodec = H264,
  ) {}

  get sps(): Buffer | undefined {
    return this.parameterSets?.sps;
  }
  get pps(): Buffer | undefined {
    return this.parameterSets?.pps;
  }

  /** Known parameter sets up front (replay): DESCRIBE can answer before the first frame. */
  setParameterSets(ps: ParameterSets): void {
    this.parameterSets = ps;
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  /** Sends `au` as the next frame; `sentAt`: when (ms since the epoch; one instant for a camera's tracks, see SenderClock). */
  push(au: AccessUnit, sentAt = wallNowMs()): void {
    if (au.isKey) {
      const ps = this.codec.parameterSets(au);
      if (ps && (!this.parameterSets || !sameParameterSets(ps, this.parameterSets))) this.setParameterSets(ps);
    }
    const packetCount = this.codec.countRtpPackets(au);
    let payloadBytes = 0;
    for (const n of au.nals) payloadBytes += n.length;
    const index = this.frameCount++;
    const frame: VideoFrame = { au, isKey: au.isKey, rtpTime: rtpTimestamp(this.tsBase, index, this.fps), firstSeq: this.seq, packetCount, payloadBytes, mediaMs: (index * 1000) / this.fps };
    this.seq = (this.seq + packetCount) & 0xffff;
    this.clock.sent(frame.mediaMs, sentAt);
    if (frame.isKey) this.gop = [];
    if (frame.isKey || this.gop.length) this.gop.push(frame);
    for (const listen of this.listeners) listen(frame);
  }

  /** The frames from the last keyframe up to now (empty before the first keyframe). */
  currentGop(): readonly VideoFrame[] {
    return this.gop;
  }

  backlog(): readonly VideoFrame[] {
    return this.gop;
  }

  sdpMedia(): string[] {
    if (!this.parameterSets) throw new Error(`${this.name}: no parameter sets yet`);
    return this.codec.sdpMedia({ parameterSets: this.parameterSets, fps: this.fps });
  }

  packetsOf(frame: RtpFrame): Buffer[] {
    frame.packets ??= this.codec.packetize((frame as VideoFrame).au, { sequence: frame.firstSeq, timestamp: frame.rtpTime, ssrc: this.ssrc });
    return frame.packets;
  }

  rtpTimeAt(wallMs: number): number {
    return this.clock.rtpTimeAt(wallMs, this.tsBase, VIDEO_CLOCK_HZ);
  }

  /** Resolves true once the parameter sets are known (DESCRIBE needs them), false after timeoutMs. */
  ready(timeoutMs = 10_000): Promise<boolean> {
    if (this.parameterSets) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.readyWaiters.push(wake);
    });
  }

  /** @internal used by RtspServer */
  listen(fn: (frame: VideoFrame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

function interleavedOf(track: RtpTrack, frame: RtpFrame, channel: number): Buffer {
  frame.interleaved ??= new Map();
  let b = frame.interleaved.get(channel);
  if (!b) {
    b = interleave(track.packetsOf(frame), channel);
    frame.interleaved.set(channel, b);
  }
  return b;
}

export type RtspAuthScheme = "digest" | "basic";
export type RtspAuth = { username: string; password: string; realm?: string; schemes?: RtspAuthScheme[] };
export type OutageMode = "off" | "refuse" | "stall";

export type RtspServerOptions = {
  host: string;
  port: number;
  /** Paths (without the leading slash, e.g. "main") to their track (trackID=0) or tracks (trackID=0, 1, …). */
  streams: Record<string, RtpTrack | readonly RtpTrack[]>;
  /** Credentials required for every method but OPTIONS; null disables authentication. */
  auth: RtspAuth | null;
  sessionTimeoutS?: number;
  /** Called with unexpected errors (a broken client, a UDP send error). */
  onError?: (err: Error) => void;
};

export type ConnectionStats = {
  id: number;
  remote: string;
  openedAt: Date;
  closedAt: Date | null;
  /** Bytes written to the TCP connection plus RTP/RTCP sent over UDP for its sessions. */
  bytesSent: number;
  bytesReceived: number;
  requests: number;
};

export type TrafficStats = { bytesSent: number; bytesReceived: number; connections: ConnectionStats[] };

type Transport = { kind: "tcp"; channel: number } | { kind: "udp"; host: string; rtpPort: number; rtcpPort: number };

type Connection = { id: number; socket: net.Socket; stats: ConnectionStats; udpBytes: number; sessions: Set<Session> };

/** One SETUP track of a session. */
type SessionTrack = {
  /** trackID: index into the path's tracks. */
  index: number;
  track: RtpTrack;
  transport: Transport;
  waitingKey: boolean;
  lastReportMs: number;
  packetsSent: number;
  octetsSent: number;
  unlisten?: () => void;
};

type Session = {
  id: string;
  path: string;
  conn: Connection;
  /** In SETUP order. */
  tracks: SessionTrack[];
  lastSeenMs: number;
  playing: boolean;
};

type Request = { method: string; url: string; headers: Record<string, string> };

/** Keeps the stats of this many closed connections for bytes(). */
const CLOSED_CONNECTIONS_KEPT = 200;

export class RtspServer {
  private server?: net.Server;
  private outage: OutageMode = "off";
  private readonly connections = new Set<Connection>();
  private readonly closedStats: ConnectionStats[] = [];
  private closedTotals = { sent: 0, received: 0 };
  private readonly sessions = new Map<string, Session>();
  private readonly udp = new Map<string, { rtp: dgram.Socket; rtcp: dgram.Socket }>();
  private readonly nonceKey = randomBytes(32);
  private nextConnId = 1;
  private readonly reaper: NodeJS.Timeout;
  private readonly timeoutS: number;
  private isClosed = false;

  constructor(private readonly opts: RtspServerOptions) {
    this.timeoutS = opts.sessionTimeoutS ?? RTSP_SESSION_TIMEOUT_S;
    this.reaper = setInterval(() => this.reapSessions(), 1000);
    this.reaper.unref();
  }

  get host(): string {
    return this.opts.host;
  }
  get port(): number {
    const a = this.server?.address();
    return a && typeof a === "object" ? a.port : this.opts.port;
  }
  get outageMode(): OutageMode {
    return this.outage;
  }
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Starts listening; resolves when bound. */
  async listen(): Promise<void> {
    if (this.server || this.isClosed) return;
    const srv = net.createServer((s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen({ host: this.opts.host, port: this.opts.port, exclusive: true }, () => {
        srv.off("error", reject);
        resolve();
      });
    });
    srv.on("error", (e) => this.opts.onError?.(e));
    this.server = srv;
  }

  /**
   * refuse: close the listener and every connection (clients see EOF, then ECONNREFUSED).
   * stall: keep connections and accept new ones, but send nothing at all (no replies, no media).
   * off: back to normal; stalled clients resume at the next keyframe.
   */
  async setOutage(mode: OutageMode): Promise<void> {
    const was = this.outage;
    this.outage = mode;
    if (mode === "refuse") {
      this.stopListening();
      for (const c of [...this.connections]) c.socket.destroy();
      for (const s of [...this.sessions.values()]) this.endSession(s);
      this.closeUdp();
    } else if (mode === "off" || (mode === "stall" && was === "refuse")) {
      for (const s of this.sessions.values()) for (const t of s.tracks) t.waitingKey = true;
      await this.listen();
    }
  }

  /** Bytes per connection (open ones, then up to 200 closed ones, newest last) and totals since start. */
  traffic(): TrafficStats {
    const open = [...this.connections].map((c) => this.snapshot(c));
    let sent = this.closedTotals.sent;
    let received = this.closedTotals.received;
    for (const s of open) {
      sent += s.bytesSent;
      received += s.bytesReceived;
    }
    return { bytesSent: sent, bytesReceived: received, connections: [...this.closedStats.map((s) => ({ ...s })), ...open] };
  }

  /** Stops listening, drops every client and timer; the server cannot be restarted. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.reaper);
    const closing = this.server ? new Promise<void>((r) => this.server!.close(() => r())) : Promise.resolve();
    this.server = undefined;
    for (const c of [...this.connections]) c.socket.destroy();
    for (const s of [...this.sessions.values()]) this.endSession(s);
    this.closeUdp();
    await closing;
  }

  private stopListening(): void {
    this.server?.close();
    this.server = undefined;
  }

  private closeUdp(): void {
    for (const u of this.udp.values()) {
      u.rtp.close();
      u.rtcp.close();
    }
    this.udp.clear();
  }

  private snapshot(c: Connection): ConnectionStats {
    return { ...c.stats, bytesSent: c.socket.bytesWritten + c.udpBytes, bytesReceived: c.socket.bytesRead };
  }

  private reapSessions(): void {
    const now = Date.now();
    for (const s of [...this.sessions.values()]) if (now - s.lastSeenMs > this.timeoutS * 1000) this.endSession(s);
  }

  private onConnection(socket: net.Socket): void {
    if (this.outage === "refuse" || this.isClosed) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const conn: Connection = {
      id: this.nextConnId++,
      socket,
      udpBytes: 0,
      sessions: new Set(),
      stats: { id: 0, remote: `${socket.remoteAddress}:${socket.remotePort}`, openedAt: new Date(), closedAt: null, bytesSent: 0, bytesReceived: 0, requests: 0 },
    };
    conn.stats.id = conn.id;
    this.connections.add(conn);
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      if (this.outage === "stall") return; // a hung camera reads nothing and answers nothing
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (buf.length && buf[0] === 0x24) {
          // interleaved RTCP receiver reports from the client: proof of life, otherwise ignored
          if (buf.length < 4) return;
          const len = 4 + buf.readUInt16BE(2);
          if (buf.length < len) return;
          buf = buf.subarray(len);
          for (const s of conn.sessions) s.lastSeenMs = Date.now();
          continue;
        }
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) {
          if (buf.length > MAX_REQUEST_BYTES) socket.destroy();
          return;
        }
        const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(":");
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const bodyLength = Number.parseInt(headers["content-length"] ?? "0", 10) || 0;
        if (buf.length < end + 4 + bodyLength) return;
        buf = buf.subarray(end + 4 + bodyLength);
        const [method = "", url = ""] = lines[0].split(" ");
        conn.stats.requests++;
        this.handle(conn, { method: method.toUpperCase(), url, headers }).catch((err: unknown) => {
          this.opts.onError?.(err instanceof Error ? err : new Error(String(err)));
          socket.destroy();
        });
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      for (const s of [...conn.sessions]) this.endSession(s);
      this.connections.delete(conn);
      const last = { ...this.snapshot(conn), closedAt: new Date() };
      this.closedTotals.sent += last.bytesSent;
      this.closedTotals.received += last.bytesReceived;
      this.closedStats.push(last);
      if (this.closedStats.length > CLOSED_CONNECTIONS_KEPT) this.closedStats.shift();
    });
  }

  /** The tracks of a path. */
  private tracksOf(path: string): readonly RtpTrack[] {
    const t = this.opts.streams[path];
    return Array.isArray(t) ? t : [t as RtpTrack];
  }

  private pathOf(url: string): string | null {
    return this.targetOf(url)?.path ?? null;
  }

  /**
   * The path of a request URL ("/main" for DESCRIBE and PLAY) and the track it names ("/main/trackID=1" for SETUP:
   * Content-Base + a=control; 0 when the URL names none). null for unknown paths.
   */
  private targetOf(url: string): { path: string; track: number } | null {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      return null;
    }
    const parts = pathname.split("/").filter(Boolean);
    const first = parts[0];
    if (!first || !Object.hasOwn(this.opts.streams, first)) return null;
    const m = /^trackID=(\d+)$/i.exec(parts[1] ?? "");
    return { path: first, track: m ? Number(m[1]) : 0 };
  }

  private async handle(conn: Connection, req: Request): Promise<void> {
    const { socket } = conn;
    const reply = (code: number, reason: string, headers: Record<string, string | number | string[]> = {}, body = "") => {
      if (socket.destroyed || this.outage === "stall") return;
      let head = `RTSP/1.0 ${code} ${reason}\r\nCSeq: ${req.headers["cseq"] ?? "0"}\r\nServer: Nightjar camera simulator\r\nDate: ${new Date().toUTCString()}\r\n`;
      for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) head += `${k}: ${one}\r\n`;
      if (body) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
      socket.write(head + "\r\n" + body);
    };
    const sessionId = req.headers["session"]?.split(";")[0]?.trim();
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (session) session.lastSeenMs = Date.now();
    const sessionHeader = (s: Session) => ({ Session: `${s.id};timeout=${this.timeoutS}` });

    if (req.method === "OPTIONS") {
      return reply(200, "OK", { Public: "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER" });
    }
    if (!["DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER"].includes(req.method)) {
      return reply(501, "Not Implemented");
    }
    if (!this.isAuthorized(req)) return reply(401, "Unauthorized", { "WWW-Authenticate": this.challenges() });
    if (req.headers["require"]) return reply(551, "Option not supported", { Unsupported: req.headers["require"] });
    if (sessionId && !session) return reply(454, "Session Not Found");

    switch (req.method) {
      case "GET_PARAMETER":
      case "SET_PARAMETER":
        return reply(200, "OK", session ? sessionHeader(session) : {});
      case "DESCRIBE": {
        const path = this.pathOf(req.url);
        if (!path) return reply(404, "Not Found");
        const tracks = this.tracksOf(path);
        for (const t of tracks) if (!(await t.ready())) return reply(503, "Service Unavailable");
        const body = buildSessionSdp({ address: this.opts.host, sessionId: String(tracks[0].ssrc), media: tracks.map((t, i) => [...t.sdpMedia(), `a=control:trackID=${i}`]) });
        return reply(200, "OK", { "Content-Type": "application/sdp", "Content-Base": req.url.replace(/\/?$/, "/") }, body);
      }
      case "SETUP": {
        const target = this.targetOf(req.url);
        if (!target) return reply(404, "Not Found");
        const { path } = target;
        const track = this.tracksOf(path)[target.track];
        if (!track) return reply(404, "Not Found");
        // one session per path; each track once (a second SETUP of a track would change its transport: not supported)
        if (session && (session.path !== path || session.tracks.some((t) => t.index === target.track))) return reply(459, "Aggregate Operation Not Allowed");
        const spec = req.headers["transport"] ?? "";
        const ssrcHex = track.ssrc.toString(16).padStart(8, "0");
        let transport: Transport;
        let answer: string;
        if (/RTP\/AVP\/TCP/i.test(spec)) {
          const m = /interleaved=(\d+)/i.exec(spec);
          const channel = m ? Number(m[1]) : 2 * target.track;
          transport = { kind: "tcp", channel };
          answer = `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1};ssrc=${ssrcHex}`;
        } else {
          const m = /client_port=(\d+)(?:-(\d+))?/i.exec(spec);
          if (!m || /multicast/i.test(spec)) return reply(461, "Unsupported Transport");
          const u = await this.udpFor(path, target.track);
          const rtpPort = Number(m[1]);
          const rtcpPort = m[2] ? Number(m[2]) : rtpPort + 1;
          transport = { kind: "udp", host: socket.remoteAddress ?? "127.0.0.1", rtpPort, rtcpPort };
          answer = `RTP/AVP;unicast;client_port=${rtpPort}-${rtcpPort};server_port=${u.rtp.address().port}-${u.rtcp.address().port};ssrc=${ssrcHex}`;
        }
        const st: SessionTrack = { index: target.track, track, transport, waitingKey: true, lastReportMs: 0, packetsSent: 0, octetsSent: 0 };
        let s = session;
        if (!s) {
          s = { id: randomBytes(8).toString("hex"), path, conn, tracks: [], lastSeenMs: Date.now(), playing: false };
          this.sessions.set(s.id, s);
          conn.sessions.add(s);
        }
        s.tracks.push(st);
        reply(200, "OK", { Transport: answer, ...sessionHeader(s) });
        if (s.playing) this.startTrack(s, st, null); // SETUP during PLAY: the track joins with live frames
        return;
      }
      case "PLAY": {
        if (!session) return reply(454, "Session Not Found");
        const base = req.url.replace(/\/?$/, "/");
        const start = this.startFrames(session);
        const rtpInfo = session.tracks.flatMap((t, i) => (start[i][0] ? [`url=${base}trackID=${t.index};seq=${start[i][0].firstSeq};rtptime=${start[i][0].rtpTime}`] : [])).join(",");
        reply(200, "OK", { ...sessionHeader(session), Range: "npt=0.000-", ...(rtpInfo ? { "RTP-Info": rtpInfo } : {}) });
        // Media only after the PLAY response is written: a client ignores data that precedes it.
        if (!session.playing) this.startPlaying(session, start);
        return;
      }
      case "PAUSE":
        if (!session) return reply(454, "Session Not Found");
        this.stopPlaying(session);
        return reply(200, "OK", sessionHeader(session));
      case "TEARDOWN":
        if (session) this.endSession(session);
        return reply(200, "OK");
    }
  }

  /**
   * What each track of a session starts with: the video's current GOP (the client starts on a keyframe) and the audio
   * from the same media time on, so a recording's sound starts with its picture. Indexed like session.tracks.
   */
  private startFrames(s: Session): (readonly RtpFrame[])[] {
    const frames: (readonly RtpFrame[])[] = s.tracks.map((t) => t.track.backlog(null));
    const since = frames.find((f) => f.length)?.[0].mediaMs ?? null;
    return s.tracks.map((t, i) => (frames[i].length ? frames[i] : t.track.backlog(since)));
  }

  /** Starts a session: an RTCP SR per track, then each track's start frames, then live frames. */
  private startPlaying(s: Session, start: (readonly RtpFrame[])[]): void {
    s.playing = true;
    const isSending = this.outage === "off" && start.some((f) => f.length);
    if (isSending) s.tracks.forEach((t, i) => start[i].length && this.sendReport(s, t));
    s.tracks.forEach((t, i) => this.startTrack(s, t, isSending ? start[i] : null));
  }

  private startTrack(s: Session, t: SessionTrack, start: readonly RtpFrame[] | null): void {
    t.waitingKey = true;
    for (const f of start ?? []) this.sendFrame(s, t, f);
    t.unlisten = t.track.listen((f) => this.sendFrame(s, t, f));
  }

  private stopPlaying(s: Session): void {
    s.playing = false;
    for (const t of s.tracks) {
      t.unlisten?.();
      t.unlisten = undefined;
    }
  }

  private endSession(s: Session): void {
    this.stopPlaying(s);
    this.sessions.delete(s.id);
    s.conn.sessions.delete(s);
  }

  private sendFrame(s: Session, t: SessionTrack, f: RtpFrame): void {
    if (this.outage !== "off") {
      t.waitingKey = true;
      return;
    }
    if (t.waitingKey) {
      if (!f.isKey) return;
      t.waitingKey = false;
    }
    const now = Date.now();
    if (now - t.lastReportMs >= SENDER_REPORT_INTERVAL_MS) this.sendReport(s, t);
    const tr = t.transport;
    if (tr.kind === "tcp") {
      const sock = s.conn.socket;
      if (sock.destroyed) return;
      if (sock.writableLength > MAX_TCP_BACKLOG_BYTES) {
        t.waitingKey = true; // slow reader: skip to the next keyframe instead of buffering without bound
        return;
      }
      sock.write(interleavedOf(t.track, f, tr.channel)); // one write per access unit
    } else {
      const u = this.udp.get(udpKey(s.path, t.index));
      if (!u) return;
      for (const p of t.track.packetsOf(f)) {
        u.rtp.send(p, tr.rtpPort, tr.host);
        s.conn.udpBytes += p.length;
      }
    }
    t.packetsSent += f.packetCount;
    t.octetsSent += f.payloadBytes + f.packetCount * 2; // approx.: FU headers count as payload
  }

  private sendReport(s: Session, t: SessionTrack): void {
    const wallMs = wallNowMs();
    t.lastReportMs = Date.now();
    const report = buildSenderReport({ ssrc: t.track.ssrc, wallMs, rtpTimestamp: t.track.rtpTimeAt(wallMs), packetCount: t.packetsSent, octetCount: t.octetsSent, cname: `${t.track.name}@${this.opts.host}` });
    const tr = t.transport;
    if (tr.kind === "tcp") {
      if (!s.conn.socket.destroyed) s.conn.socket.write(interleave([report], tr.channel + 1));
    } else {
      const u = this.udp.get(udpKey(s.path, t.index));
      u?.rtcp.send(report, tr.rtcpPort, tr.host);
      s.conn.udpBytes += report.length;
    }
  }

  /** The RTP and RTCP sockets of a path's track (server_port), bound on first UDP SETUP to ephemeral ports of our host. */
  private async udpFor(path: string, track: number): Promise<{ rtp: dgram.Socket; rtcp: dgram.Socket }> {
    const key = udpKey(path, track);
    const existing = this.udp.get(key);
    if (existing) return existing;
    const bind = async (port: number) => {
      const sock = dgram.createSocket("udp4");
      await new Promise<void>((resolve, reject) => {
        sock.once("error", reject);
        sock.bind(port, this.opts.host, () => {
          sock.off("error", reject);
          resolve();
        });
      });
      sock.on("error", (e) => this.opts.onError?.(e));
      sock.on("message", () => {}); // client RTCP receiver reports and NAT punches: ignored
      return sock;
    };
    // Prefer an even/odd pair as RFC 3550 suggests; fall back to any two ports.
    let pair: { rtp: dgram.Socket; rtcp: dgram.Socket } | undefined;
    for (let attempt = 0; attempt < 8 && !pair; attempt++) {
      const rtp = await bind(0);
      const port = rtp.address().port;
      if (port % 2 === 0 && port < 65535) {
        try {
          pair = { rtp, rtcp: await bind(port + 1) };
          break;
        } catch {
          /* taken: try another */
        }
      }
      rtp.close();
    }
    pair ??= { rtp: await bind(0), rtcp: await bind(0) };
    pair.rtp.setSendBufferSize(4 * 1024 * 1024);
    if (this.udp.has(key)) {
      pair.rtp.close();
      pair.rtcp.close();
      return this.udp.get(key)!;
    }
    this.udp.set(key, pair);
    return pair;
  }

  // ------------------------------------------------------------------ authentication

  private get realm(): string {
    return this.opts.auth?.realm ?? "Nightjar Simulator";
  }

  private challenges(): string[] {
    const schemes = this.opts.auth?.schemes ?? ["digest", "basic"];
    const out: string[] = [];
    if (schemes.includes("digest")) out.push(`Digest realm="${this.realm}", nonce="${this.makeNonce()}", algorithm=MD5, qop="auth"`);
    if (schemes.includes("basic")) out.push(`Basic realm="${this.realm}"`);
    return out;
  }

  /** A nonce the server can verify without state: random part plus its HMAC. Valid for the server's lifetime. */
  private makeNonce(): string {
    const random = randomBytes(12).toString("hex");
    return random + createHmac("sha256", this.nonceKey).update(random).digest("hex").slice(0, 16);
  }

  private isValidNonce(nonce: string): boolean {
    if (!/^[0-9a-f]{40}$/.test(nonce)) return false;
    const expected = createHmac("sha256", this.nonceKey).update(nonce.slice(0, 24)).digest("hex").slice(0, 16);
    return safeEqual(nonce.slice(24), expected);
  }

  private isAuthorized(req: Request): boolean {
    const auth = this.opts.auth;
    if (!auth) return true;
    const header = req.headers["authorization"];
    if (!header) return false;
    const schemes = auth.schemes ?? ["digest", "basic"];
    const space = header.indexOf(" ");
    const scheme = header.slice(0, space).toLowerCase();
    const rest = header.slice(space + 1);
    if (scheme === "basic" && schemes.includes("basic")) {
      const decoded = Buffer.from(rest.trim(), "base64").toString("utf8");
      return safeEqual(decoded, `${auth.username}:${auth.password}`);
    }
    if (scheme === "digest" && schemes.includes("digest")) {
      const p = parseAuthParams(rest);
      if (!p.username || !p.nonce || !p.uri || !p.response || p.realm !== this.realm) return false;
      if (p.algorithm && p.algorithm.toUpperCase() !== "MD5") return false;
      if (!this.isValidNonce(p.nonce)) return false;
      const ha1 = md5(`${p.username}:${this.realm}:${auth.password}`);
      const ha2 = md5(`${req.method}:${p.uri}`);
      const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc ?? ""}:${p.cnonce ?? ""}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
      return safeEqual(p.username, auth.username) && safeEqual(p.response.toLowerCase(), expected);
    }
    return false;
  }
}

/** The UDP socket pair's key: one pair per path and track. */
const udpKey = (path: string, track: number) => `${path}#${track}`;

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses `k="v", k2=v2` auth-params (RFC 2617 §1.2), keys lower-cased. */
export function parseAuthParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
  return out;
}
