// The live source of the camera simulator: one ffmpeg child per camera encodes a moving test pattern with the wall
// clock burned in at main and sub size, writing raw H.264 to two pipes that feed the RTSP server's streams. The clock
// is shown twice: as text (local date and time to the millisecond) and as a machine-readable row of blocks
// (frame-clock.ts) that a browser reads from the decoded picture to measure glass-to-glass latency. Motion (a white
// box crossing the picture) is switched on or off at the next keyframe by sending ffmpeg an `enable` command on stdin.
// A camera's audio track (the cached audio clip) is ticked once per main-stream frame, so its timestamps follow the
// same frame-counted media time as the video's. About a third of a core per camera: meant for 1-2 cameras. H.264
// only: a real-time 1080p libx265 encoder would need well over a core per camera (use replay mode for H.265).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drawtextFont, evenAtLeast2, sanitizeLabel, x264Args, type ClipSetSpec } from "./clips";
import { buildFrameClockFilter } from "./frame-clock";
import { AnnexBReader } from "./h264";
import { wallNowMs, type MediaStream } from "./rtsp-server";

/** Restart delay after an unexpected ffmpeg exit, in ms. */
const RESTART_DELAY_MS = 1000;
/** Frames between our decision and the frame ffmpeg is rendering (pipeline latency margin). */
const SWITCH_MARGIN_FRAMES = 8;
/**
 * Capture stamp: from this point of the graph on, a frame's pts is the wall clock (epoch ms, time base 1/1000) at the
 * moment it entered the filter graph, i.e. when `-re` released it. Stamping the real clock per frame (rather than
 * ffmpeg's start epoch + pts, which lagged the wall clock by ffmpeg's start-up: 0.25 s measured) keeps start-up and
 * any stall out of the burned-in time. Residual: the stamp is exact to the ms at graph entry; the frame then reaches
 * the RTSP stream ≈ 55 ms later (median, max ≈ 140 ms on a busy 2-core machine: filters + x264 + the Annex-B reader
 * waiting for the next frame's start code; frame-clock.test.ts prints it). Like a camera's own encoding delay, that
 * is part of a glass-to-glass figure.
 */
const CAPTURE_STAMP = "settb=1/1000,setpts='floor(time(0)*1000)'";
/** The stamped capture time in whole ms as an ffmpeg expression (t = pts × 1/1000; rounding undoes float error). */
const CAPTURE_MS = "floor(t*1000+0.5)";

export type LiveSourceOptions = {
  label: string;
  main: MediaStream;
  sub: MediaStream;
  spec: Pick<ClipSetSpec, "fps" | "gopFrames" | "main" | "sub">;
  fontFile: string | null;
  /** The camera's audio track, ticked after each main-stream frame (null: no sound). */
  audio?: { tick(sentAt?: number): void } | null;
  ffmpegPath?: string;
  motion?: boolean;
  onLog?: (message: string) => void;
};

/**
 * The ffmpeg argv of a live camera (pure; `textFile` holds the drawtext template, `motionOn` the initial state).
 * Graph: test pattern → motion overlay → capture stamp (pts = wall clock) → clock text → clock blocks → back to a
 * frame-counted pts for the encoders → main and scaled sub. Both streams carry the same stamp for the same frame.
 */
export function buildLiveArgs(o: { spec: LiveSourceOptions["spec"]; fontFile: string | null; textFile: string; motionOn: boolean }): string[] {
  const { fps, gopFrames, main, sub } = o.spec;
  const box = { w: evenAtLeast2(main.width / 8), h: evenAtLeast2(main.height / 6) };
  const graph = [
    `[0:v]format=yuv420p[bg]`,
    `color=c=white:s=${box.w}x${box.h}:r=${fps},format=yuv420p[box]`,
    `[bg][box]overlay@motion=x='(W-w)*mod(t,10)/10':y='H/3+H/6*sin(2*PI*t/2.5)':enable=${o.motionOn ? 1 : 0},${CAPTURE_STAMP},` +
      `drawtext=${drawtextFont(o.fontFile)}:textfile=${o.textFile}:fontsize=${Math.round(main.height / 20)}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=8:x=40:y=h-th-40,` +
      `${buildFrameClockFilter(main.width, CAPTURE_MS)},settb=1/${fps},setpts=N,split=2[m][s0]`,
    `[s0]scale=${sub.width}:${sub.height}[s]`,
  ].join(";");
  const enc = (bitrateKbps: number) => x264Args({ fps, gopFrames, bitrateKbps, preset: "ultrafast", tune: "zerolatency" });
  return [
    "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", `testsrc2=size=${main.width}x${main.height}:rate=${fps}`,
    "-filter_complex", graph,
    "-map", "[m]", ...enc(main.bitrateKbps), "-an", "-f", "h264", "pipe:1",
    "-map", "[s]", ...enc(sub.bitrateKbps), "-an", "-f", "h264", "pipe:3",
  ];
}

/**
 * drawtext template: the label, then the frame's capture time (its stamped pts, the wall clock when it entered the
 * graph) as local date and time with milliseconds. The seconds get half a millisecond added so that float error in
 * t = pts/1000 can never show the previous second next to ".000".
 */
export function buildClockText(label: string): string {
  return `${sanitizeLabel(label)} %{pts:localtime:0.0005:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod(${CAPTURE_MS},1000):d:3}`;
}

/** The enable expression that switches motion at the first keyframe at least `margin` frames after `frame`. */
export function motionEnableExpression(on: boolean, frame: number, gopFrames: number, margin = SWITCH_MARGIN_FRAMES): string {
  const at = Math.ceil((frame + margin) / gopFrames) * gopFrames;
  return on ? `gte(n,${at})` : `lt(n,${at})`;
}

export class LiveSource {
  private child?: ChildProcess;
  private textFile: string;
  private framesThisRun = 0;
  private isMotion: boolean;
  private isStopped = false;
  private restartTimer?: NodeJS.Timeout;
  private exited?: Promise<void>;

  constructor(private readonly o: LiveSourceOptions) {
    if (o.main.codec.name !== "h264" || o.sub.codec.name !== "h264") throw new Error("the live source encodes H.264 only");
    this.isMotion = o.motion ?? false;
    this.textFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-sim-live-")), "clock.txt");
    this.start();
  }

  get motion(): boolean {
    return this.isMotion;
  }

  /** Switches the moving box on or off from the next keyframe (at least SWITCH_MARGIN_FRAMES ahead). */
  setMotion(on: boolean): void {
    if (on === this.isMotion) return;
    this.isMotion = on;
    const expr = motionEnableExpression(on, this.framesThisRun, this.o.spec.gopFrames);
    // ffmpeg's interactive "c" command: <target> <time|-1> <command> <arg>
    this.child?.stdin?.write(`coverlay@motion -1 enable ${expr}\n`);
  }

  /** Stops ffmpeg (SIGTERM, SIGKILL after 2 s) and resolves when it has exited. */
  async close(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const kill = setTimeout(() => child.kill("SIGKILL"), 2000);
      child.kill("SIGTERM");
      await this.exited;
      clearTimeout(kill);
    }
    fs.rmSync(path.dirname(this.textFile), { recursive: true, force: true });
  }

  private start(): void {
    fs.writeFileSync(this.textFile, buildClockText(this.o.label));
    this.framesThisRun = 0;
    const args = buildLiveArgs({ spec: this.o.spec, fontFile: this.o.fontFile, textFile: this.textFile, motionOn: this.isMotion });
    const child = spawn(this.o.ffmpegPath ?? "ffmpeg", args, { stdio: ["pipe", "pipe", "pipe", "pipe"] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.stdin?.on("error", () => {});
    const main = new AnnexBReader((au) => {
      this.framesThisRun++;
      const sentAt = wallNowMs(); // one instant for video and sound (SenderClock)
      this.o.main.push(au, sentAt);
      this.o.audio?.tick(sentAt);
    });
    const sub = new AnnexBReader((au) => this.o.sub.push(au));
    child.stdout?.on("data", (d: Buffer) => main.feed(d));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (d: Buffer) => sub.feed(d));
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on("error", (err) => this.o.onLog?.(`ffmpeg failed to start: ${err.message}`));
    child.on("exit", (code, signal) => {
      if (this.isStopped || this.child !== child) return;
      this.o.onLog?.(`live ffmpeg exited (${code ?? signal}); restarting: ${stderr.replace(/Enter command:.*|Command reply.*/g, "").trim().slice(-500)}`);
      this.restartTimer = setTimeout(() => this.start(), RESTART_DELAY_MS);
    });
  }
}
