// The status worker's liveness check: a minimal RTSP client that sends OPTIONS and, optionally, DESCRIBE (with Basic
// or Digest authentication) and reports how many bytes the check exchanged, so the heartbeat's volume is measured.
import crypto from "node:crypto";
import net from "node:net";
import tls from "node:tls";

export type RtspCheckProblem = "unreachable" | "timeout" | "auth_failed" | "not_found" | "bad_response";

export type RtspCheckResult =
  | { ok: true; bytes: number; /** DESCRIBE's SDP, when asked for. */ sdp: string | null; server: string | null }
  | { ok: false; bytes: number; problem: RtspCheckProblem; detail: string };

export type RtspResponse = { status: number; reason: string; headers: Record<string, string>; body: string };

/** Largest RTSP response we read, in bytes; an SDP is a few hundred. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Parses one RTSP response from the start of `buf`; null while incomplete. */
export function parseRtspResponse(buf: string): { response: RtspResponse; rest: string } | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine, ...headerLines] = buf.slice(0, end).split("\r\n");
  const m = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(statusLine);
  if (!m) throw new Error("not an RTSP response");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  const bodyStart = end + 4;
  if (buf.length < bodyStart + length) return null;
  return { response: { status: Number(m[1]), reason: m[2], headers, body: buf.slice(bodyStart, bodyStart + length) }, rest: buf.slice(bodyStart + length) };
}

const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");

/** The Authorization header answering a WWW-Authenticate challenge (Digest preferred, else Basic); null if unknown. */
export function authorizationFor(challenge: string, method: string, uri: string, username: string, password: string, cnonce = crypto.randomBytes(8).toString("hex")): string | null {
  if (/^Basic/i.test(challenge)) return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  if (!/^Digest/i.test(challenge)) return null;
  const params: Record<string, string> = {};
  for (const m of challenge.slice(6).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[m[1].toLowerCase()] = m[2] ?? m[3];
  const realm = params.realm ?? "";
  const nonce = params.nonce ?? "";
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = params.qop?.split(",").map((q) => q.trim()).includes("auth") ? "auth" : null;
  const nc = "00000001";
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `response="${response}"`];
  if (params.opaque) parts.push(`opaque="${params.opaque}"`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(", ")}`;
}

export type RtspCheckOptions = { timeoutMs: number; describe: boolean; credentials: { username: string; password: string } | null };

/** Connects to `url` (no credentials in it), sends OPTIONS [+ DESCRIBE], and closes. Never throws. */
export function checkRtsp(url: string, options: RtspCheckOptions): Promise<RtspCheckResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, bytes: 0, problem: "bad_response", detail: "invalid URL" });
    }
    const secure = u.protocol === "rtsps:";
    const port = Number(u.port || (secure ? 322 : 554));
    const host = u.hostname.replace(/^\[|\]$/g, "");
    // Self-signed certificates are the norm on cameras; RTSPS here protects against eavesdropping, not impersonation.
    const socket = secure ? tls.connect({ host, port, rejectUnauthorized: false, servername: net.isIP(host) ? undefined : host }) : net.connect({ host, port });
    let buffer = "";
    let cseq = 0;
    let done = false;
    let authorization: string | null = null;
    let triedAuth = false;
    const steps: ("OPTIONS" | "DESCRIBE")[] = options.describe ? ["OPTIONS", "DESCRIBE"] : ["OPTIONS"];
    let step = 0;
    let server: string | null = null;

    const finish = (result: RtspCheckResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const bytes = socket.bytesRead + socket.bytesWritten;
      socket.destroy();
      resolve({ ...result, bytes } as RtspCheckResult);
    };
    const timer = setTimeout(() => finish({ ok: false, bytes: 0, problem: "timeout", detail: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);

    const send = () => {
      const method = steps[step];
      const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++cseq}`, "User-Agent: Nightjar"];
      if (method === "DESCRIBE") lines.push("Accept: application/sdp");
      if (authorization) lines.push(`Authorization: ${authorization}`);
      socket.write(lines.join("\r\n") + "\r\n\r\n");
    };

    socket.once(secure ? "secureConnect" : "connect", send);
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      if (buffer.length > MAX_RESPONSE_BYTES) return finish({ ok: false, bytes: 0, problem: "bad_response", detail: "response too large" });
      let parsed;
      try {
        parsed = parseRtspResponse(buffer);
      } catch {
        return finish({ ok: false, bytes: 0, problem: "bad_response", detail: "not an RTSP server" });
      }
      if (!parsed) return;
      buffer = parsed.rest;
      const { response } = parsed;
      server ??= response.headers.server ?? null;
      if (response.status === 401) {
        const challenge = response.headers["www-authenticate"];
        if (triedAuth || !options.credentials || !challenge) return finish({ ok: false, bytes: 0, problem: "auth_failed", detail: `${response.status} ${response.reason}` });
        triedAuth = true;
        authorization = authorizationFor(challenge, steps[step], url, options.credentials.username, options.credentials.password);
        if (!authorization) return finish({ ok: false, bytes: 0, problem: "auth_failed", detail: "unsupported authentication" });
        return send();
      }
      if (response.status === 404) return finish({ ok: false, bytes: 0, problem: "not_found", detail: `${response.status} ${response.reason}` });
      if (response.status !== 200) return finish({ ok: false, bytes: 0, problem: "bad_response", detail: `${response.status} ${response.reason}` });
      step++;
      if (step < steps.length) return send();
      finish({ ok: true, bytes: 0, sdp: options.describe ? response.body : null, server });
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      const problem: RtspCheckProblem = e.code === "ETIMEDOUT" ? "timeout" : "unreachable";
      finish({ ok: false, bytes: 0, problem, detail: e.code ?? e.message });
    });
    socket.on("close", () => finish({ ok: false, bytes: 0, problem: "bad_response", detail: "connection closed" }));
  });
}
