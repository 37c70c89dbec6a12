// Probing a camera stream with ffprobe: codec, resolution, frame rate, audio, and bitrate and fps measured from a few
// seconds of packets. The argv builder and the output parser are pure (table-tested); runProbe does the I/O.
import { spawn } from "node:child_process";
import { killOnExit } from "./children";
import { redactUrls } from "./redact";
import { tailStderr } from "./stderr-tail";

export type ProbeOptions = {
  /** Give up on the connection after this long (socket timeout and overall limit), in ms. */
  timeoutMs: number;
  /** Seconds of packets to read to measure bitrate and fps (0 = don't measure). */
  measureSeconds: number;
};

export type ProbeResult = {
  video: { codec: string; profile: string | null; width: number; height: number; fps: number | null };
  audio: { codec: string } | null;
  /** Measured over `measureSeconds` of video packets: kbit/s and frames per second. */
  measured: { bitrateKbps: number; fps: number; seconds: number } | null;
};

export type ProbeProblem = "unreachable" | "timeout" | "auth_failed" | "not_found" | "not_a_stream" | "no_video" | "probe_failed";

export class ProbeError extends Error {
  constructor(
    readonly problem: ProbeProblem,
    /** ffprobe's last words, credentials redacted. */
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
  }
}

export function ffprobeArgs(url: string, options: ProbeOptions): string[] {
  const isRtsp = /^rtsps?:/i.test(url);
  return [
    "-v",
    "error",
    ...(isRtsp ? ["-rtsp_transport", "tcp", "-timeout", String(options.timeoutMs * 1000)] : []),
    "-probesize",
    "5000000",
    "-analyzeduration",
    "3000000",
    ...(options.measureSeconds > 0 ? ["-read_intervals", `%+${options.measureSeconds}`] : []),
    "-show_entries",
    `stream=index,codec_type,codec_name,profile,width,height,avg_frame_rate,r_frame_rate${options.measureSeconds > 0 ? ":packet=stream_index,pts_time,size" : ""}`,
    "-of",
    "json",
    url,
  ];
}

type RawStream = { index: number; codec_type?: string; codec_name?: string; profile?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string };
type RawPacket = { stream_index: number; pts_time?: string; size?: string };

function rate(text: string | undefined): number | null {
  if (!text) return null;
  const [n, d] = text.split("/").map(Number);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0 || n === 0) return null;
  return Math.round((n / d) * 100) / 100;
}

/** Parses ffprobe's JSON; throws ProbeError("no_video") when there is no usable video stream. */
export function parseProbeOutput(json: string, measureSeconds: number): ProbeResult {
  let data: { streams?: RawStream[]; packets?: RawPacket[] };
  try {
    data = JSON.parse(json);
  } catch {
    throw new ProbeError("probe_failed", "unreadable ffprobe output");
  }
  const streams = data.streams ?? [];
  const v = streams.find((s) => s.codec_type === "video" && (s.width ?? 0) > 0);
  if (!v || !v.codec_name) throw new ProbeError("no_video", "no video stream with a picture size");
  const a = streams.find((s) => s.codec_type === "audio");
  let measured: ProbeResult["measured"] = null;
  const packets = (data.packets ?? []).filter((p) => p.stream_index === v.index && p.pts_time !== undefined && p.pts_time !== "N/A");
  if (measureSeconds > 0 && packets.length >= 3) {
    const times = packets.map((p) => Number(p.pts_time)).filter(Number.isFinite).sort((x, y) => x - y);
    // The span covered by n frames is (last - first) plus one frame interval.
    const span = ((times.at(-1)! - times[0]) * packets.length) / (packets.length - 1);
    const bytes = packets.reduce((sum, p) => sum + Number(p.size ?? 0), 0);
    if (span > 0) measured = { bitrateKbps: Math.round((bytes * 8) / span / 1000), fps: Math.round((packets.length / span) * 100) / 100, seconds: Math.round(span * 100) / 100 };
  }
  return {
    video: { codec: v.codec_name, profile: v.profile ?? null, width: v.width!, height: v.height!, fps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate) },
    audio: a?.codec_name ? { codec: a.codec_name } : null,
    measured,
  };
}

/** Maps ffprobe's error output to a problem a person can act on. */
export function classifyProbeError(stderr: string, timedOut: boolean): ProbeProblem {
  if (timedOut) return "timeout";
  if (/401 Unauthorized|authorization failed/i.test(stderr)) return "auth_failed";
  if (/404 Not Found|Server returned 4\d\d/i.test(stderr)) return "not_found";
  if (/Connection refused|No route to host|Name or service not known|Network is unreachable|Temporary failure in name resolution|Cannot assign requested address/i.test(stderr)) return "unreachable";
  if (/timed out|Operation timed out|Connection timed out/i.test(stderr)) return "timeout";
  if (/Invalid data found|could not find codec parameters|does not contain any stream/i.test(stderr)) return "not_a_stream";
  return "probe_failed";
}

/** Runs ffprobe on `url` (credentials included) and returns what it found; throws ProbeError. */
export function runProbe(ffprobePath: string, url: string, options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = killOnExit(spawn(ffprobePath, ffprobeArgs(url, options), { stdio: ["ignore", "pipe", "pipe"] }));
    let out = "";
    const stderr = tailStderr(child.stderr, 4000);
    let timedOut = false;
    // Overall limit: connection timeout + measuring time + start-up slack.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs + options.measureSeconds * 1000 + 3_000);
    child.stdout.on("data", (d) => (out += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new ProbeError("probe_failed", `cannot run ffprobe: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const detail = redactUrls(stderr.lastLines(3)).slice(0, 500);
      if (code === 0 && !timedOut) {
        try {
          resolve(parseProbeOutput(out, options.measureSeconds));
        } catch (e) {
          reject(e);
        }
        return;
      }
      // ffprobe reports a socket timeout as "Invalid data found": a failure after the whole timeout is a timeout.
      const ranOut = timedOut || Date.now() - started >= options.timeoutMs * 0.9;
      const problem = classifyProbeError(stderr.text, false);
      reject(new ProbeError(ranOut && (problem === "not_a_stream" || problem === "probe_failed") ? "timeout" : problem, detail));
    });
  });
}

/** Codecs browsers decode in MSE/HLS everywhere. H.265 plays in few (Safari only): warn the admin. */
export function isBrowserPlayable(codec: string): boolean {
  return codec === "h264";
}
