// Stream URLs as an admin types them: validation, splitting off embedded credentials (which are stored encrypted,
// never in the URL column), and putting them back for ffmpeg. Redaction (redactUrls) lives in lib/ffmpeg/redact.ts and
// is re-exported here for the camera modules.
export const STREAM_SCHEMES = ["rtsp:", "rtsps:"] as const;

export type ParsedStreamUrl = {
  /** The URL without user info, normalized (lower-case scheme and host, default port omitted). */
  url: string;
  host: string;
  port: number;
  /** Credentials that were embedded in the URL (user:pass@), decoded; null when none. */
  credentials: { username: string; password: string } | null;
};

export type StreamUrlProblem = "invalid_url" | "unsupported_scheme" | "missing_host";

export class StreamUrlError extends Error {
  constructor(readonly problem: StreamUrlProblem) {
    super(problem);
  }
}

const DEFAULT_PORT: Record<string, number> = { "rtsp:": 554, "rtsps:": 322 };

/** Parses an RTSP/RTSPS URL; throws StreamUrlError. Accepts surrounding spaces; refuses control characters. */
export function parseStreamUrl(input: string): ParsedStreamUrl {
  const text = input.trim();
  if (!text || text.length > 2048 || /[\s\u0000-\u001f\u007f]/.test(text)) throw new StreamUrlError("invalid_url");
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new StreamUrlError("invalid_url");
  }
  if (!(STREAM_SCHEMES as readonly string[]).includes(u.protocol)) throw new StreamUrlError("unsupported_scheme");
  if (!u.hostname) throw new StreamUrlError("missing_host");
  const credentials = u.username || u.password ? { username: safeDecode(u.username), password: safeDecode(u.password) } : null;
  // rtsp: is not a "special" scheme for WHATWG URL: host case and default ports are kept as typed, so normalize here.
  const host = u.hostname.toLowerCase();
  const port = u.port ? Number(u.port) : DEFAULT_PORT[u.protocol];
  const portPart = port === DEFAULT_PORT[u.protocol] ? "" : `:${port}`;
  return { url: `${u.protocol}//${host}${portPart}${u.pathname}${u.search}`, host, port, credentials };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The URL with credentials in it, for ffmpeg and ffprobe only (never logged, never stored). */
export function withCredentials(url: string, credentials: { username: string; password: string } | null): string {
  if (!credentials || (!credentials.username && !credentials.password)) return url;
  const u = new URL(url);
  u.username = encodeURIComponent(credentials.username);
  u.password = encodeURIComponent(credentials.password);
  return u.toString();
}

/** Redaction for logs and the browser is ffmpeg's (its argv and error output carry these URLs): one rule, there. */
