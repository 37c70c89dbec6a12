// The RTSP server at the protocol level with a raw socket client and a synthetic stream (no ffmpeg).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import type { AccessUnit } from "./annexb";
import { AudioStream } from "./audio";
import { MediaStream, parseAuthParams, RtspServer } from "./rtsp-server";

const HOST = "127.0.0.140";
const PORT = 29554;
const USER = "admin";
const PASS = "secret-test";
const SPS = Buffer.from("Z01AKNoB4AiflwEQAAADABAAAAMDIPGDKg==", "base64");
const PPS = Buffer.from("aO88gA==", "base64");
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

type Response = { status: number; headers: Record<string, string[]>; body: string };
type Interleaved = { channel: number; data: Buffer };

/** A minimal RTSP client on one connection: requests in order, interleaved packets collected. */
class RawClient {
  readonly sock: net.Socket;
  private buf = Buffer.alloc(0);
  private waiting: ((r: Response) => void)[] = [];
  readonly packets: Interleaved[] = [];
  private cseq = 0;
  constructor() {
    this.sock = net.connect(PORT, HOST);
    this.sock.on("data", (d) => this.onData(d));
    this.sock.on("error", () => {});
  }
  request(method: string, url: string, headers: Record<string, string> = {}): Promise<Response> {
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.sock.write(lines.join("\r\n") + "\r\n\r\n");
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  close() {
    this.sock.destroy();
  }
  private onData(d: Buffer) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length && this.buf[0] === 0x24) {
        if (this.buf.length < 4) return;
        const len = this.buf.readUInt16BE(2);
        if (this.buf.length < 4 + len) return;
        this.packets.push({ channel: this.buf[1], data: this.buf.subarray(4, 4 + len) });
        this.buf = this.buf.subarray(4 + len);
        continue;
      }
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [status, ...lines] = this.buf.subarray(0, end).toString("latin1").split("\r\n");
      const headers: Record<string, string[]> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        (headers[l.slice(0, i).toLowerCase()] ??= []).push(l.slice(i + 1).trim());
      }
      const len = Number(headers["content-length"]?.[0] ?? 0);
      if (this.buf.length < end + 4 + len) return;
      const body = this.buf.subarray(end + 4, end + 4 + len).toString();
      this.buf = this.buf.subarray(end + 4 + len);
      this.waiting.shift()?.({ status: Number(status.split(" ")[1]), headers, body });
    }
  }
}

function digest(challenge: string, method: string, uri: string, password = PASS, qop = true): string {
  const p = parseAuthParams(challenge.replace(/^Digest\s+/i, ""));
  const ha1 = md5(`${USER}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  if (!qop) return `Digest username="${USER}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", response="${md5(`${ha1}:${p.nonce}:${ha2}`)}"`;
  const nc = "00000001";
  const cnonce = "0a4f113b";
  const response = md5(`${ha1}:${p.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${USER}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
}

const frame = (isKey: boolean, n: number): AccessUnit => ({ nals: isKey ? [SPS, PPS, Buffer.from([0x65, 0x88, n])] : [Buffer.from([0x41, 0x9a, n])], isKey });

let stream: MediaStream;
let audio: AudioStream;
let server: RtspServer;
let ticker: NodeJS.Timeout;
const url = `rtsp://${HOST}:${PORT}/main`;

before(async () => {
  stream = new MediaStream("main", 25);
  // G.711 µ-law, 20 ms packets whose first byte counts packets (mod 256)
  audio = new AudioStream("audio", { codec: "pcmu", clockRate: 8000, channels: 1, samplesPerFrame: 160, frames: Array.from({ length: 50 }, (_, i) => Buffer.alloc(160, i)) }, 25);
  let n = 0;
  stream.push(frame(true, n++));
  audio.tick();
  ticker = setInterval(() => {
    stream.push(frame(n % 25 === 0, n++));
    audio.tick();
  }, 40);
  server = new RtspServer({ host: HOST, port: PORT, streams: { main: stream, av: [stream, audio] }, auth: { username: USER, password: PASS }, sessionTimeoutS: 1 });
  await server.listen();
});
after(async () => {
  clearInterval(ticker);
  await server.close();
});

describe("RtspServer", () => {
  test("OPTIONS needs no credentials; DESCRIBE does (401 with Digest and Basic challenges)", async () => {
    const c = new RawClient();
    const options = await c.request("OPTIONS", url);
    assert.equal(options.status, 200);
    assert.match(options.headers["public"][0], /GET_PARAMETER/);
    const denied = await c.request("DESCRIBE", url);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers["www-authenticate"].length, 2);
    c.close();
  });

  test("Digest with and without qop, Basic, and wrong passwords", async () => {
    const c = new RawClient();
    const challenge = (await c.request("DESCRIBE", url)).headers["www-authenticate"].find((h) => h.startsWith("Digest"))!;
    const cases: { name: string; auth: string; status: number }[] = [
      { name: "digest qop=auth", auth: digest(challenge, "DESCRIBE", url), status: 200 },
      { name: "digest RFC 2069", auth: digest(challenge, "DESCRIBE", url, PASS, false), status: 200 },
      { name: "digest wrong password", auth: digest(challenge, "DESCRIBE", url, "nope"), status: 401 },
      { name: "digest forged nonce", auth: digest(challenge.replace(/nonce="[0-9a-f]{8}/, 'nonce="00000000'), "DESCRIBE", url), status: 401 },
      { name: "digest computed for another method", auth: digest(challenge, "SETUP", url), status: 401 },
      { name: "basic", auth: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`, status: 200 },
      { name: "basic wrong", auth: `Basic ${Buffer.from(`${USER}:x`).toString("base64")}`, status: 401 },
      { name: "unknown scheme", auth: "Bearer abc", status: 401 },
    ];
    for (const k of cases) assert.equal((await c.request("DESCRIBE", url, { Authorization: k.auth })).status, k.status, k.name);
    c.close();
  });

  test("SETUP TCP + PLAY: the answer precedes media, an RTCP SR comes first, then a keyframe; keep-alive and TEARDOWN", async () => {
    const c = new RawClient();
    const basic = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` };
    const d = await c.request("DESCRIBE", url, basic);
    assert.equal(d.status, 200);
    assert.match(d.body, /sprop-parameter-sets=/);
    const setup = await c.request("SETUP", `${url}/trackID=0`, { ...basic, Transport: "RTP/AVP/TCP;unicast;interleaved=0-1" });
    assert.equal(setup.status, 200);
    assert.match(setup.headers["transport"][0], /interleaved=0-1/);
    const session = setup.headers["session"][0].split(";")[0];
    assert.match(setup.headers["session"][0], /timeout=1/);
    assert.equal((await c.request("SETUP", `${url}/trackID=0`, { ...basic, Session: session, Transport: "RTP/AVP/TCP;unicast;interleaved=0-1" })).status, 459);
    const play = await c.request("PLAY", `${url}/`, { ...basic, Session: session });
    assert.equal(play.status, 200);
    assert.match(play.headers["rtp-info"][0], /seq=\d+;rtptime=\d+/);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(c.packets[0].channel, 1);
    assert.equal(c.packets[0].data[1], 200, "RTCP SR first");
    const rtp = c.packets.filter((p) => p.channel === 0);
    assert.ok(rtp.length > 0);
    const firstPayloadType = rtp[0].data[12] & 0x1f;
    assert.ok(firstPayloadType === 24 || firstPayloadType === 7, "starts with the parameter sets of a keyframe");
    assert.equal(rtp[0].data.readUInt16BE(2), Number(/seq=(\d+)/.exec(play.headers["rtp-info"][0])![1]));
    assert.equal((await c.request("GET_PARAMETER", `${url}/`, { ...basic, Session: session })).status, 200);
    assert.equal((await c.request("TEARDOWN", `${url}/`, { ...basic, Session: session })).status, 200);
    assert.equal((await c.request("PLAY", `${url}/`, { ...basic, Session: session })).status, 454);
    c.close();
  });

  test("UDP SETUP answers server ports; multicast is refused; unknown paths are 404", async () => {
    const c = new RawClient();
    const basic = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` };
    const udp = await c.request("SETUP", `${url}/trackID=0`, { ...basic, Transport: "RTP/AVP;unicast;client_port=40000-40001" });
    assert.equal(udp.status, 200);
    assert.match(udp.headers["transport"][0], /client_port=40000-40001;server_port=\d+-\d+/);
    assert.equal((await c.request("SETUP", `${url}/trackID=0`, { ...basic, Transport: "RTP/AVP;multicast" })).status, 461);
    assert.equal((await c.request("DESCRIBE", `rtsp://${HOST}:${PORT}/other`, basic)).status, 404);
    c.close();
  });

  test("a path with video and audio: two media sections, a SETUP per track, PLAY starts both with sender reports first", async () => {
    const c = new RawClient();
    const basic = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` };
    const av = `rtsp://${HOST}:${PORT}/av`;
    const d = await c.request("DESCRIBE", av, basic);
    assert.equal(d.status, 200);
    const lines = d.body.split("\r\n");
    assert.deepEqual(lines.filter((l) => /^(m=|a=control|a=rtpmap)/.test(l)), ["a=control:*", "m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=control:trackID=0", "m=audio 0 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=control:trackID=1"]);
    const video = await c.request("SETUP", `${av}/trackID=0`, { ...basic, Transport: "RTP/AVP/TCP;unicast;interleaved=0-1" });
    const session = video.headers["session"][0].split(";")[0];
    const sound = await c.request("SETUP", `${av}/trackID=1`, { ...basic, Session: session, Transport: "RTP/AVP/TCP;unicast;interleaved=2-3" });
    assert.equal(sound.status, 200);
    assert.match(sound.headers["transport"][0], new RegExp(`interleaved=2-3;ssrc=${audio.ssrc.toString(16).padStart(8, "0")}`));
    assert.equal((await c.request("SETUP", `${av}/trackID=1`, { ...basic, Session: session, Transport: "RTP/AVP/TCP;unicast;interleaved=2-3" })).status, 459, "a track once");
    assert.equal((await c.request("SETUP", `${url}/trackID=0`, { ...basic, Session: session, Transport: "RTP/AVP/TCP;unicast;interleaved=4-5" })).status, 459, "one path per session");
    assert.equal((await c.request("SETUP", `${av}/trackID=2`, { ...basic, Transport: "RTP/AVP/TCP;unicast;interleaved=4-5" })).status, 404);
    const play = await c.request("PLAY", `${av}/`, { ...basic, Session: session });
    assert.equal(play.status, 200);
    const info = play.headers["rtp-info"][0].split(",");
    assert.equal(info.length, 2);
    assert.match(info[0], new RegExp(`^url=${av}/trackID=0;seq=\\d+;rtptime=\\d+$`));
    assert.match(info[1], new RegExp(`^url=${av}/trackID=1;seq=\\d+;rtptime=\\d+$`));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(c.packets.slice(0, 2).map((p) => [p.channel, p.data[1]]), [[1, 200], [3, 200]], "an SR per track before any media");
    const sounds = c.packets.filter((p) => p.channel === 2);
    assert.ok(sounds.length >= 2);
    assert.equal(sounds[0].data[1] & 0x7f, 0, "PCMU");
    assert.equal(sounds[0].data.length, 12 + 160);
    assert.equal(`seq=${sounds[0].data.readUInt16BE(2)};rtptime=${sounds[0].data.readUInt32BE(4)}`, info[1].split(";").slice(1).join(";"), "RTP-Info names the first audio packet");
    assert.equal((sounds[1].data.readUInt32BE(4) - sounds[0].data.readUInt32BE(4)) >>> 0, 160);
    assert.ok(c.packets.some((p) => p.channel === 0));
    c.close();
  });

  test("UDP: each track of a path gets its own server port pair", async () => {
    const c = new RawClient();
    const basic = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` };
    const av = `rtsp://${HOST}:${PORT}/av`;
    const v = await c.request("SETUP", `${av}/trackID=0`, { ...basic, Transport: "RTP/AVP;unicast;client_port=40010-40011" });
    const session = v.headers["session"][0].split(";")[0];
    const a = await c.request("SETUP", `${av}/trackID=1`, { ...basic, Session: session, Transport: "RTP/AVP;unicast;client_port=40012-40013" });
    const ports = [v, a].map((r) => /server_port=(\d+-\d+)/.exec(r.headers["transport"][0])![1]);
    assert.notEqual(ports[0], ports[1]);
    assert.equal((await c.request("TEARDOWN", `${av}/`, { ...basic, Session: session })).status, 200);
    c.close();
  });

  test("sessions without keep-alive expire after the session timeout", async () => {
    const c = new RawClient();
    const basic = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` };
    const setup = await c.request("SETUP", `${url}/trackID=0`, { ...basic, Transport: "RTP/AVP;unicast;client_port=40002-40003" });
    const session = setup.headers["session"][0].split(";")[0];
    await new Promise((r) => setTimeout(r, 2300));
    assert.equal((await c.request("PLAY", `${url}/`, { ...basic, Session: session })).status, 454);
    c.close();
  });

  test("traffic counts bytes per connection; close() frees the port", async () => {
    const c = new RawClient();
    await c.request("OPTIONS", url);
    const open = server.traffic().connections.find((s) => s.closedAt === null && s.requests === 1);
    assert.ok(open && open.bytesSent > 0 && open.bytesReceived > 0);
    c.close();
    const other = new RtspServer({ host: HOST, port: PORT + 1, streams: { main: stream }, auth: null });
    await other.listen();
    await other.close();
    const again = new RtspServer({ host: HOST, port: PORT + 1, streams: { main: stream }, auth: null });
    await again.listen();
    await again.close();
  });
});
