// One camera's recorder: the supervisor of two ffmpeg processes and the event pipeline between them.
//   ingest  — main stream, -c copy, into fMP4 HLS segments under $DATA_DIR/live/<camera>/<run>/ (ring = pre-roll;
//             the live view serves the same files); restarted with backoff (1 s doubling to 30 s) on exit or stall
//             (superviseFfmpeg, lib/ffmpeg/supervise.ts, like the motion decoder).
//             Every new segment's in-band SPS is checked against the run's init segment: a camera that changed its
//             resolution mid-stream makes -c copy write segments its init does not describe, so those are deleted
//             (never in the ring, never in a clip) and the ingest restarts at once with a new run and init.
//   motion  — sub stream decoded to small grey frames → scoreFrame → the event state machine.
//   objects — with object detection on (Camera.detectionConfig), the same decoder also writes colour frames (fd 3, PPM)
//             at the detection rate; while there is motion (and DETECT_AFTER_MS after), they go to the server's one
//             detector (lib/detection/client.ts) cropped to the region around the motion. Answers are judged
//             (labels of interest, marked-wrong suppression, zones, tracking of stationary objects), start the event
//             when the camera records only objects, and are written to the open event (labels, best frame's boxes).
//             A detector that is down leaves the camera on motion alone.
//   actions — startEvent / endClip / endEvent from the machine become Event, Clip and Photo rows and files, written
//             one at a time in order; a clip is cut as soon as the segments covering its end exist.
// The recorder is the only writer of Event, Clip and Photo rows. Files are written before their rows (temp name,
// then rename), so a crash leaves at most a file without a row, which reconcile.ts removes at the next start.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cameraCredentials } from "../cameras/cameras";
import { recordDiagnostic } from "../cameras/diagnostics";
import { withCredentials } from "../cameras/stream-url";
import type { Scheduler } from "../clock";
import type { Db } from "../db";
import { ASSUMED_KEYFRAME_MS, buildIngestArgs, buildMotionDecodeArgs, INIT_SEGMENT_NAME, motionFrameBytes, PLAYLIST_NAME, segmentSecondsFor, soundModeFor } from "../ffmpeg/ingest-args";
import { redactUrls } from "../ffmpeg/redact";
import { STALL_MS, superviseFfmpeg, type Backoff, type FfmpegRunEnd, type FfmpegSupervisor, type NextRun } from "../ffmpeg/supervise";
import { newId } from "../ids";
import { logger } from "../log";
import { watchCameraMotion, type MotionWatch } from "../onvif/events";
import { isArmedAt, parseMotionConfig, type MotionConfig, type MotionTrigger } from "../motion/config";
import { buildMotionMasks, type MotionMasks } from "../motion/mask";
import { createMotionState, scoreFrame, type MotionState } from "../motion/score";
import { planClip, type ClipPlan } from "./clip-plan";
import { ClipWriteError, type ClipWriteTimings } from "./clip-writer";
import { parseSpsSize, readInitFormat, readSegmentSps, sizeText, type InitFormat } from "./video-format";
import { isBelowFloor, readDiskSpace } from "./disk";
import { createEventMachine, frameTime, stepEventMachine, tickTime, type EventAction, type EventInput, type EventMachineState } from "./event-machine";
import { playlistSizeFor, SegmentRing, SegmentTracker, type Segment } from "./segments";
import { recorderLiveDir } from "../data-dir";
import { EventGoneError, writeEventClip, writeEventPhotoFor, writeEventPhotoFromSegment, type PhotoOptions, type WrittenEventClip } from "./event-media";
import { reportRecordingProblem, reportRecordingWorks, reportStreamBack, reportStreamOutage } from "../cameras/status-monitor";
import { formatBytes } from "../i18n/format";
import { getEnv } from "../env";
import { emitFact } from "../facts/emit";
import { eventClipUrl, eventPhotoUrl, type WebhookClip } from "../webhooks/events";
import type { DetectionResult, DetectorClient } from "../detection/client";
import { regionAround, type Box } from "../detection/geometry";
import { addToEvent, emptyEventObjects, judgeFrame, toFractions, type EventObjects, type FractionBox } from "../detection/judge";
import { INPUT_SIZE } from "../detection/nanodet";
import { createPpmReader, type RgbFrame } from "../detection/ppm";
import { parseDetectionSettings, type DetectionSettings } from "../detection/settings";
import type { Correction } from "../detection/suppress";
import { DEFAULT_TRACKER, emptyTracker, type TrackerOptions, type TrackerState } from "../detection/tracker";
import { isInsidePolygon } from "../motion/mask";
import { writeEventObjects } from "./event-objects";
import { keepTimelapseFrame } from "../timelapse/capture";
import { keyframeToAnnexB } from "../timelapse/frames";
import { nextFrameDueMs, TIMELAPSE_DEFAULT_INTERVAL_S } from "../timelapse/settings";
import { readFirstKeyframe } from "./video-format";

/** Analysis frames: size in pixels and rate (frames per second) handed to the motion detector. */
export const MOTION_WIDTH = 64;
export const MOTION_HEIGHT = 36;
export const MOTION_FPS = 5;
/** Detection looks while at least this many pixels of the 64×36 motion picture changed (far below a zone firing). */
export const DETECT_GATE_PIXELS = 2;
/** … and for this long after the last such frame, ms (an object that stopped is still found). */
export const DETECT_AFTER_MS = 2_000;
/** An object of interest seen this recently counts as motion for the event machine, ms (covers the detection rate). */
export const OBJECT_HOLD_MS = 2_500;
/** Widest colour frame handed to the detector, pixels (the sub stream is usually narrower). */
export const DETECT_MAX_WIDTH = 960;
/** Detections kept while no event is open (an event started by them, or by motion, takes those of its pre-roll), ms. */
const PENDING_DETECTIONS_MS = 10_000;
/** Labels already on an event are written at most this often while it runs (new labels at once), ms. */
const OBJECTS_WRITE_MS = 1_000;

/** Waits between restarts of the ingest and the motion decoder: 1 s doubling to 30 s, reset after a 60 s run. */
export const RECORDER_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };
/** How long to wait for the segments that cover a clip's end before cutting what there is, ms. */
const CLIP_WAIT_MS = 15_000;
/** The same wait while the recorder stops: the segment covering "now" is at most one GOP away, ms. */
const STOP_CLIP_WAIT_MS = 3_000;

/** The ring holds the pre-roll plus the longest clip plus the post-roll plus slack for cutting, ms. */
export function ringKeepMs(config: Pick<MotionConfig, "preRollMs" | "maxClipMs" | "postRollMs">): number {
  return config.preRollMs + config.maxClipMs + config.postRollMs + 20_000;
}
/** A clip reaching this close to its planned end is complete (planClip's timestamp jitter tolerance), ms. */
const CLIP_END_TOLERANCE_MS = 20;

export type RecorderDeps = {
  db: Db;
  dataDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  credentialsKey: Buffer;
  /** Free space below which no new clips are written, bytes. */
  minFreeBytes: number;
  /** IANA zone for the arming schedule. */
  timeZone: string;
  now?: () => number;
  /** Timers of the ffmpeg supervisors (backoff, stall); the system clock when not given. */
  clock?: Scheduler;
  /** The base of the media URLs in webhooks (PUBLIC_URL); getEnv().publicUrl when not given. */
  publicUrl?: string;
  /** The server's object detector; none: cameras record on motion alone whatever their detection settings. */
  detector?: DetectorClient;
  /** The tracker's timings (tests shorten the stationary time). */
  tracker?: TrackerOptions;
};

/**
 * An ingest run the recorder ended on purpose (the camera changed resolution) and has recorded why. isImmediate:
 * restart without waiting; false when the run's very first segment already disagreed with its init (then the usual
 * backoff applies, so a camera whose stream never matches its own description cannot make us restart in a tight loop).
 */
type PlannedEnd = { isImmediate: boolean };

/** One ingest run: its folder and playlist tracking, and the clean-up when its ffmpeg ended. */
type IngestRun = { attach(child: ChildProcess): void; finish(): PlannedEnd | undefined };

/** What the recorder needs of a camera: its row, and the sound codec the status checks found (null: none or not yet probed). */
/**
 * Whether a recorder decodes the sub stream for motion: always, unless only the camera's own events start events (an
 * ONVIF camera) and no object detection needs the frames. The recorder starts its decoder by it; the pool restarts a
 * recorder when it changes.
 */
export function decodesMotion(trigger: MotionTrigger, onvifUrl: string | null, detectsObjects: boolean): boolean {
  return trigger !== "camera" || !onvifUrl || detectsObjects;
}

export type CameraRow = {
  id: string;
  name: string;
  mainStreamUrl: string;
  subStreamUrl: string | null;
  credentialsEnc: string | null;
  motionConfig: string;
  detectionConfig?: string;
  recordSound: boolean;
  audioCodec?: string | null;
  onvifUrl?: string | null;
  /** Timelapse: keep a keyframe of the main stream every timelapseIntervalSeconds (lib/timelapse). */
  timelapseEnabled?: boolean;
  timelapseIntervalSeconds?: number;
};

type OpenEvent = {
  id: string;
  startMs: number;
  clips: WrittenEventClip[];
  lastClipEndMs: number | null;
  clipFrom: Map<number, number>;
  /**
   * Clips inserted after a clip that stopped at an ingest restart (the rest of its range, from the new run): the event
   * machine's clip n is written as sequence n + extraClips, so the rows stay numbered 1, 2, 3… in time order.
   */
  extraClips: number;
  /** Resolves true once the Event row exists (false if it could not be written: then nothing else is written). */
  rowReady: Promise<boolean>;
  /** What the detector found during the event, and the writes of it (in order; `dirty`: not yet written). */
  objects: EventObjects;
  objectsWrite: Promise<void>;
  objectsDirty: boolean;
  objectsTimer: NodeJS.Timeout | null;
  /** The best frame's time when its boxes were last written (boxes are rewritten only when the best frame changes). */
  boxesWrittenAt: number | null;
  /** New labels not yet reported (event.updated "labels", the latency figure), with the capture time of each. */
  freshLabels: { label: string; handedAt: number }[];
  /** The event's end (analysis clock, ms) once the machine ended it: later sightings are not the event's. */
  endMs: number | null;
  /** True once a clip found the event's row deleted (while it recorded): nothing more is written for it. */
  gone: boolean;
};

/**
 * A judged detector answer: when its frame was captured (analysis clock, as event times), when it left the decoder
 * (this.now(), for the latency figure), and the objects that count.
 */
type Sighting = { capturedAt: number; handedAt: number; counted: FractionBox[] };

export class CameraRecorder {
  readonly ring: SegmentRing;
  private readonly log;
  private config: MotionConfig;
  private masks: MotionMasks;
  private readonly now: () => number;
  private stopped = false;
  /** Set once stop() began: its promise (stop is idempotent). */
  private stopping: Promise<void> | null = null;
  /** stop() is cutting the last clips: their waits are short (STOP_CLIP_WAIT_MS). */
  private isClosing = false;
  /** While the ingest is down after an unplanned end: where the recording stopped (ms), for the gap diagnostic. */
  private outageFromMs: number | null = null;
  private machine: EventMachineState;
  private motion: MotionState;
  private queue: Promise<void> = Promise.resolve();
  /** Open events by their start (ms), the key every action of the event machine carries. */
  private events = new Map<number, OpenEvent>();
  private timers: NodeJS.Timeout[] = [];
  /** Called (and cleared) whenever new segments enter the ring: clip cuts waiting for their last segment. */
  private segmentWaiters: (() => void)[] = [];
  private supervisors: FfmpegSupervisor[] = [];
  /** A recording problem may be on record (reported by this run, or left by an earlier one): the next clip written clears it. */
  private mayHaveRecordingProblem = true;
  /** Counters for the benchmark and tests. */
  /** The analysis clock: the time given to the last analysed frame (ms since the epoch; null before the first). */
  private lastFrameAt: number | null = null;
  readonly stats = { ingestRestarts: 0, motionRestarts: 0, segments: 0, framesScored: 0, clipsWritten: 0, eventsStarted: 0, eventsEnded: 0, lostSegments: 0, resolutionChanges: 0, rejectedSegments: 0, detectFrames: 0, detectAnswers: 0, detectSuppressed: 0, framesPaused: 0, motionIgnored: 0, cameraEvents: 0, timelapseFrames: 0, timelapseSkipped: 0 };
  /** Timelapse: the earliest segment start (ms) whose keyframe is the next frame, and whether a frame is being written. */
  private timelapseDueMs = 0;
  private timelapseBusy = false;
  /** Detection: the settings, the corrections of this camera, the tracker, and what the motion picture says. */
  private detection: DetectionSettings;
  private corrections: Correction[] = [];
  private tracker: TrackerState = emptyTracker();
  /** Last frame (analysis clock, ms) with enough changed pixels to look for objects, and where they changed. */
  private lastGateAt: number | null = null;
  private motionBox: Box | null = null;
  /** Last time an object of interest that is not stationary was seen (capture time, ms). */
  private lastCountedAt: number | null = null;
  /** Answers that came while no event was open (the next event takes those of its pre-roll). */
  private pendingSightings: Sighting[] = [];
  /** The motion decoder is being restarted on purpose (detection switched on or off, or its rate changed). */
  private isMotionRestartPlanned = false;
  /** The camera is being steered (PTZ): motion up to this time (ms, analysis clock) counts for nothing. */
  private motionPausedUntil: number | null = null;
  /** The camera's own motion detector (ONVIF events, trigger "camera" or "both"): on since (ms), or null when off. */
  private cameraMotionSince: number | null = null;
  private cameraWatch: MotionWatch | null = null;
  /** Detection latency: capture → the label on the event (ms), per new label; for the benchmark. */
  onLabelsWritten?: (eventId: string, labels: string[], latencyMs: number) => void;
  /** Hooks for measurements (benchmark): called after the row is written, with its time. */
  onEventRow?: (eventId: string, atMs: number) => void;
  onClipWritten?: (eventId: string, sequence: number, atMs: number, toMs: number, timings?: ClipWriteTimings & { waitMs: number }) => void;

  constructor(
    public camera: CameraRow,
    private readonly deps: RecorderDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.log = logger(`recorder:${camera.id}`);
    this.config = parseMotionConfig(camera.motionConfig).config;
    this.detection = parseDetectionSettings(camera.detectionConfig).settings;
    this.masks = buildMotionMasks(this.config, MOTION_WIDTH, MOTION_HEIGHT);
    this.motion = createMotionState(MOTION_WIDTH, MOTION_HEIGHT);
    this.machine = createEventMachine({ now: this.now(), armed: isArmedAt(this.config, this.now(), deps.timeZone) });
    this.ring = new SegmentRing(ringKeepMs(this.config));
  }

  get liveDir(): string {
    return recorderLiveDir(this.deps.dataDir, this.camera.id);
  }

  start(): void {
    fs.rmSync(this.liveDir, { recursive: true, force: true });
    void this.loadCorrections();
    // The motion decoder runs unless the camera's own events start events and no detection needs its frames.
    this.supervisors.push(this.superviseIngest(), ...(this.decodesMotion() ? [this.superviseMotion()] : []));
    this.watchCameraEvents();
    this.timers.push(
      setInterval(() => {
        const at = tickTime(this.now(), this.lastFrameAt);
        // Without a decoder the camera's events are the only motion: one sample per tick while they say motion.
        if (!this.supervisors[1]) this.step({ type: "motion", at, fired: this.isFired(false, at), peak: this.isCameraMotion(at) ? 100 : 0, zones: [] });
        else this.step({ type: "tick", at });
      }, 500),
    );
    this.timers.push(
      setInterval(() => {
        const armed = isArmedAt(this.config, this.now(), this.deps.timeZone);
        if (armed !== this.machine.armed) this.step({ type: "arming", at: this.now(), armed });
      }, 10_000),
    );
  }

  /**
   * Stops the recorder without losing footage: the motion decoder stops first (no new motion), open events end now
   * with their clips cut from the ring while the ingest still runs (waiting at most STOP_CLIP_WAIT_MS for the segment
   * that covers "now"), their photos are taken, and only then the ingest stops. No event is left open.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      const [ingest, motion] = this.supervisors;
      // The camera's event subscription ends at once; its polite unsubscribe (up to seconds) does not hold the stop up.
      void this.cameraWatch?.stop().catch(() => undefined);
      await motion?.stop();
      this.deps.detector?.forgetCamera(this.camera.id); // queued frames (and their callbacks) go with the recorder
      this.isClosing = true;
      this.step({ type: "stop", at: this.now() });
      await this.queue.catch(() => undefined);
      this.stopped = true;
      for (const wake of this.segmentWaiters.splice(0)) wake(); // clip cuts waiting for a segment see `stopped` now
      await ingest?.stop();
      await this.queue.catch(() => undefined);
    })();
    return this.stopping;
  }

  /**
   * Timelapse: the first new segment that starts at or after the frame's due time gives its keyframe, copied without
   * decoding (video-format.ts → frames.ts) and kept by lib/timelapse; the next frame is due at the next multiple of
   * the interval. Called before the ring may drop the segment. At most one frame is written at a time: a disk slower
   * than the interval skips frames rather than queueing them.
   */
  private captureTimelapse(fresh: Segment[], runDir: string, initName: string): void {
    if (!this.camera.timelapseEnabled) return;
    const segment = fresh.find((s) => s.startMs >= this.timelapseDueMs);
    if (!segment) return;
    if (this.timelapseBusy) {
      this.stats.timelapseSkipped++;
      return;
    }
    this.timelapseDueMs = nextFrameDueMs(segment.startMs, this.camera.timelapseIntervalSeconds ?? TIMELAPSE_DEFAULT_INTERVAL_S);
    let data: Uint8Array;
    let codec: "h264" | "hevc";
    try {
      const frame = readFirstKeyframe(path.join(runDir, initName), path.join(runDir, segment.name));
      if (!frame) {
        this.stats.timelapseSkipped++;
        return;
      }
      data = keyframeToAnnexB(frame.parameterSets, frame.sample, frame.lengthSize);
      codec = frame.codec;
    } catch (err) {
      this.stats.timelapseSkipped++;
      this.log.warn("timelapse frame not read", { segment: segment.name, error: String(err) });
      return;
    }
    this.timelapseBusy = true;
    keepTimelapseFrame(this.deps.db, this.deps.dataDir, { cameraId: this.camera.id, cameraName: this.camera.name, atMs: segment.startMs, codec, data, timeZone: this.deps.timeZone })
      .then((r) => {
        if (r.kept) this.stats.timelapseFrames++;
        else this.stats.timelapseSkipped++;
      })
      .catch((err) => {
        this.stats.timelapseSkipped++;
        this.log.warn("timelapse frame not kept", { error: String(err) });
      })
      .finally(() => {
        this.timelapseBusy = false;
      });
  }

  /** Removes the camera's live folder (the camera was deleted or disabled: nothing will read or resume it). */
  removeRing(): void {
    fs.rmSync(this.liveDir, { recursive: true, force: true });
  }

  /**
   * Applies changed motion settings (sensitivity, zones, masks, clip times, arming, schedule) and the camera's name to
   * the running recorder: no new ingest, no lost second. The open event goes on under the new settings; the ring
   * grows at once to a longer clip time (footage older than the old ring is not there, so a longer pre-roll applies
   * fully from the next event on). Stream or credential changes need a new recorder (the pool restarts it).
   */
  reconfigure(camera: Pick<CameraRow, "name" | "motionConfig" | "detectionConfig" | "timelapseEnabled" | "timelapseIntervalSeconds">): void {
    const decoderBefore = this.detectionDecodeKey();
    if (camera.timelapseIntervalSeconds !== this.camera.timelapseIntervalSeconds) this.timelapseDueMs = 0;
    this.camera = {
      ...this.camera,
      name: camera.name,
      motionConfig: camera.motionConfig,
      detectionConfig: camera.detectionConfig,
      timelapseEnabled: camera.timelapseEnabled,
      timelapseIntervalSeconds: camera.timelapseIntervalSeconds,
    };
    this.detection = parseDetectionSettings(camera.detectionConfig).settings;
    if (!this.detection.enabled) {
      this.deps.detector?.forgetCamera(this.camera.id);
      this.tracker = emptyTracker();
      this.lastCountedAt = null;
    }
    // Detection switched on or off, or a new rate: the decoder's outputs change (a new run at once; the ingest goes on).
    if (this.detectionDecodeKey() !== decoderBefore) this.restartMotionDecoder();
    void this.loadCorrections();
    this.config = parseMotionConfig(camera.motionConfig).config;
    this.masks = buildMotionMasks(this.config, MOTION_WIDTH, MOTION_HEIGHT);
    this.ring.keepMs = ringKeepMs(this.config);
    const armed = isArmedAt(this.config, this.now(), this.deps.timeZone);
    if (armed !== this.machine.armed) this.step({ type: "arming", at: this.now(), armed });
    this.log.info("motion settings applied without a restart");
  }

  /**
   * What follows a run of `name`: a planned end records nothing (an immediate one restarts at once, without penalty);
   * any other records ffmpeg_exited and waits for the backoff (1 s, 2 s, 4 s … 30 s; reset after a 60 s run).
   */
  private async afterRun(name: "ingest" | "motion", end: FfmpegRunEnd, planned?: PlannedEnd): Promise<NextRun> {
    if (end.isStopping) return "stop";
    if (name === "motion" && this.isMotionRestartPlanned) {
      this.isMotionRestartPlanned = false;
      return "now";
    }
    if (name === "ingest") this.stats.ingestRestarts++;
    else this.stats.motionRestarts++;
    if (planned?.isImmediate) return "now";
    if (!planned && name === "ingest" && this.outageFromMs === null) {
      // The camera is offline now (no video for the stall time, or ffmpeg could not keep the stream): the status says
      // so at once, and the gap starts where the last segment ended.
      this.outageFromMs = this.ring.newest()?.endMs ?? this.now();
      await reportStreamOutage(this.deps.db, this.camera.id, new Date(this.now()), end.stalledForMs !== null ? "stream_stalled" : "stream_ended", redactUrls(end.detail).slice(0, 200)).catch((err) => this.log.warn("status not written", { error: String(err) }));
    }
    if (!planned) {
      const { code, detail } = end;
      await recordDiagnostic(this.deps.db, this.camera.id, "error", { source: `recorder-${name}`, problem: "ffmpeg_exited", code, detail: redactUrls(detail).slice(0, 300) }).catch(() => undefined);
      this.log.warn(`${name} ffmpeg exited`, { code, detail: redactUrls(detail).slice(0, 200) });
    }
    return "backoff";
  }

  private credentials() {
    return cameraCredentials(this.camera, this.deps.credentialsKey);
  }

  /** The main-stream ingest: one run per ffmpeg start, each in a new run folder; a new segment is progress. */
  private superviseIngest(): FfmpegSupervisor {
    let run: IngestRun | null = null;
    const supervisor = superviseFfmpeg({
      ffmpegPath: this.deps.ffmpegPath,
      clock: this.deps.clock,
      backoff: RECORDER_BACKOFF,
      stallMs: STALL_MS,
      progressName: "segment",
      argv: () => {
        const runId = String(this.now());
        const outputDir = path.join(this.liveDir, runId);
        fs.mkdirSync(outputDir, { recursive: true });
        run = this.ingestRun(runId, outputDir, () => supervisor.progress());
        return buildIngestArgs({
          inputUrl: withCredentials(this.camera.mainStreamUrl, this.credentials()),
          outputDir,
          segmentSeconds: segmentSecondsFor(ASSUMED_KEYFRAME_MS),
          listSize: playlistSizeFor(this.ring.keepMs, ASSUMED_KEYFRAME_MS),
          // The ring decides which segments stay (its length follows the motion settings, changed without a restart).
          deleteSegments: false,
          sound: soundModeFor(this.camera.recordSound, this.camera.audioCodec),
        });
      },
      onSpawn: (child) => run?.attach(child),
      onExit: (end) => {
        const planned = run?.finish();
        run = null;
        return this.afterRun("ingest", end, planned);
      },
    });
    return supervisor;
  }

  /**
   * Follows one ingest run's playlist (fs.watch, and a 250 ms poll in case a change event is missed): new segments go
   * through the resolution check into the ring and count as progress; a camera that changed resolution gets the run
   * killed (a planned end).
   */
  private ingestRun(runId: string, outputDir: string, onProgress: () => void): IngestRun {
    const tracker = new SegmentTracker(runId);
    let child: ChildProcess | null = null;
    const playlistFile = path.join(outputDir, PLAYLIST_NAME);
    // The picture size the run's init segment declares: read at the run's first segment (undefined: not yet; null:
    // nothing to compare with — a codec whose SPS is not read, or unreadable — so segments are taken unchecked).
    let format: InitFormat | null | undefined;
    let accepted = 0;
    /** The first segment at another resolution; from it on, every segment of this run is rejected. */
    let change: { from: string; to: string; isMidRun: boolean } | null = null;
    const screen = (fresh: Segment[]): Segment[] => {
      if (format === undefined) format = this.readRunFormat(path.join(outputDir, tracker.initName ?? INIT_SEGMENT_NAME));
      const good: Segment[] = [];
      for (const s of fresh) {
        const file = path.join(outputDir, s.name);
        if (!change && format) {
          const size = this.segmentSizeChange(file, format);
          if (size) change = { from: sizeText(format), to: sizeText(size), isMidRun: accepted + good.length > 0 };
        }
        if (!change) {
          good.push(s);
          continue;
        }
        // Never part of a clip, and not servable (the live view reads this folder): gone at once.
        this.stats.rejectedSegments++;
        fs.rmSync(file, { force: true });
      }
      accepted += good.length;
      return good;
    };
    let isRestarting = false;
    let lastMtimeMs = 0;
    const readPlaylist = () => {
      let text: string;
      try {
        // ffmpeg replaces the playlist (temp file + rename) once per segment: read it only when it changed.
        const mtimeMs = fs.statSync(playlistFile).mtimeMs;
        if (mtimeMs === lastMtimeMs) return;
        text = fs.readFileSync(playlistFile, "utf8");
        lastMtimeMs = mtimeMs;
      } catch {
        return;
      }
      const fresh = tracker.update(text, this.now());
      if (!fresh.length) return;
      onProgress();
      this.stats.segments += fresh.length;
      const good = screen(fresh);
      if (good.length) {
        const newest = this.ring.newest();
        if (newest && newest.runId === runId && good[0].seq > newest.seq + 1) this.stats.lostSegments += good[0].seq - newest.seq - 1;
        // Segments that left the ring are no longer anyone's: the ring, not ffmpeg, decides (see reconfigure). A clip
        // cut in progress holds its files open, so removing one it reads is harmless.
        this.captureTimelapse(good, outputDir, tracker.initName ?? INIT_SEGMENT_NAME);
        for (const gone of this.ring.push(...good)) fs.rmSync(path.join(this.liveDir, gone.runId, gone.name), { force: true });
        if (this.outageFromMs !== null) {
          const gap = { fromMs: this.outageFromMs, toMs: good[0].startMs };
          this.outageFromMs = null;
          void reportStreamBack(this.deps.db, this.camera.id, gap, new Date(this.now())).catch((err) => this.log.warn("status not written", { error: String(err) }));
        }
        for (const wake of this.segmentWaiters.splice(0)) wake();
      }
      if (change && !isRestarting) {
        isRestarting = true;
        const { from, to } = change;
        this.stats.resolutionChanges++;
        this.log.warn("the camera changed resolution mid-stream: restarting the ingest", { from, to });
        void recordDiagnostic(this.deps.db, this.camera.id, "error", { source: "recorder", problem: "resolution_changed", from, to }).catch(() => undefined);
        child?.kill("SIGKILL");
      }
    };
    let watcher: fs.FSWatcher | null = null;
    let poll: NodeJS.Timeout | null = null;
    return {
      attach: (c) => {
        child = c;
        try {
          watcher = fs.watch(outputDir, (_e, name) => {
            if (name === PLAYLIST_NAME) readPlaylist();
          });
        } catch {
          /* polling below still works */
        }
        poll = setInterval(readPlaylist, 250);
      },
      finish: () => {
        if (poll) clearInterval(poll);
        watcher?.close();
        if (child) readPlaylist();
        // Old runs' folders go once the ring no longer needs them.
        this.removeOldRuns(runId);
        return change ? { isImmediate: change.isMidRun } : undefined;
      },
    };
  }

  /** The init segment's format (H.264 or H.265), or null (logged) when there is nothing to check segments against. */
  private readRunFormat(initFile: string): InitFormat | null {
    try {
      const format = readInitFormat(initFile);
      if (!format) this.log.info("the main stream's codec is not one whose SPS the recorder reads (H.264, H.265): segments are not checked for resolution changes");
      return format;
    } catch (err) {
      this.log.warn("init segment unreadable: segments of this run are not checked for resolution changes", { error: String(err) });
      return null;
    }
  }

  /**
   * The size of the first in-band SPS of a segment that differs from the run's, or null (same size, no in-band SPS,
   * or unreadable: the segment is taken). Reads the segment's first block only, in the usual case (video-format.ts).
   */
  private segmentSizeChange(file: string, format: InitFormat): { width: number; height: number } | null {
    try {
      for (const sps of readSegmentSps(file, format)?.sps ?? []) {
        const size = parseSpsSize(format.codec, sps);
        if (size.width !== format.width || size.height !== format.height) return size;
      }
    } catch (err) {
      this.log.debug("segment not checked", { file: path.basename(file), error: String(err) });
    }
    return null;
  }

  private removeOldRuns(currentRunId: string) {
    let runs: string[] = [];
    try {
      runs = fs.readdirSync(this.liveDir);
    } catch {
      return;
    }
    const needed = new Set(this.ring.list().map((s) => s.runId));
    for (const run of runs) if (run !== currentRunId && !needed.has(run)) fs.rmSync(path.join(this.liveDir, run), { recursive: true, force: true });
  }

  /** The motion decoder: raw grey frames on stdout, cut into frames and scored. No stall rule (ffmpeg's -timeout).
   *  With detection on, colour frames for the detector come on fd 3 (PPM, each with its size). */
  private superviseMotion(): FfmpegSupervisor {
    const url = this.camera.subStreamUrl ?? this.camera.mainStreamUrl;
    const frameBytes = motionFrameBytes({ width: MOTION_WIDTH, height: MOTION_HEIGHT });
    return superviseFfmpeg({
      ffmpegPath: this.deps.ffmpegPath,
      clock: this.deps.clock,
      backoff: RECORDER_BACKOFF,
      stdout: "pipe",
      fd3: "pipe",
      argv: () => {
        const detection = this.detectsObjects() ? { fps: this.detection.fps, maxWidth: DETECT_MAX_WIDTH } : undefined;
        return buildMotionDecodeArgs({ inputUrl: withCredentials(url, this.credentials()), fps: MOTION_FPS, width: MOTION_WIDTH, height: MOTION_HEIGHT, detection });
      },
      onSpawn: (child) => {
        let pending: Buffer = Buffer.alloc(0);
        child.stdout?.on("data", (chunk: Buffer) => {
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          while (pending.length >= frameBytes) {
            const frame = new Uint8Array(pending.subarray(0, frameBytes));
            pending = pending.subarray(frameBytes);
            this.onFrame(frame);
          }
        });
        const colour = child.stdio[3];
        if (colour && "on" in colour) {
          const reader = createPpmReader(
            (frame) => this.onDetectionFrame(frame),
            (err) => {
              this.log.warn("unreadable frame for the detector: decoder restarted", { error: err.message });
              void recordDiagnostic(this.deps.db, this.camera.id, "error", { source: "recorder-detection", problem: "bad_frame", detail: err.message.slice(0, 200) }).catch(() => undefined);
              this.restartMotionDecoder(false);
            },
            () => this.wantsDetectionFrame(),
          );
          colour.on("data", (chunk: Buffer) => reader.push(chunk));
          colour.on("error", () => undefined);
        }
      },
      onExit: (end) => this.afterRun("motion", end),
    });
  }

  /** True when this camera's frames go to a detector: detection on, and a detector on this server. */
  private detectsObjects(): boolean {
    return this.detection.enabled && !!this.deps.detector;
  }

  /** What the motion decoder's argv depends on for detection (a change restarts the decoder). */
  private detectionDecodeKey(): string {
    return this.detectsObjects() ? `on:${this.detection.fps}` : "off";
  }

  /** Ends the motion decoder's run on purpose: the next starts at once with the current settings. */
  /**
   * Ends the motion decoder's run. `planned` (a settings change): the next run starts at once; otherwise (a problem,
   * e.g. an unreadable frame) the supervisor's back-off applies, so a stream that keeps failing cannot spin.
   */
  private restartMotionDecoder(planned = true) {
    const child = this.supervisors[1]?.child();
    if (!child) return;
    this.isMotionRestartPlanned = planned;
    child.kill("SIGTERM");
  }

  /** The corrections (marked-wrong detections) of this camera, read at start and on every change of the camera. */
  private async loadCorrections() {
    try {
      const rows = await this.deps.db.detectionCorrection.findMany({ where: { cameraId: this.camera.id }, select: { cameraId: true, label: true, x1: true, y1: true, x2: true, y2: true } });
      this.corrections = rows;
    } catch (err) {
      this.log.warn("corrections not read", { error: String(err) });
    }
  }

  /**
   * The camera moves (a PTZ command) until `untilMs` (the move and a moment for the picture to settle): its motion
   * starts no event and is not shown to the detector until then. The picture keeps being scored, so that the first
   * frame after the pause is compared with the new view, not with the old one. The newest command decides: a stop
   * ends a long move's pause early.
   */
  pauseMotionUntil(untilMs: number): void {
    this.motionPausedUntil = untilMs;
  }

  private onFrame(frame: Uint8Array) {
    const result = scoreFrame(this.motion, frame, this.masks, { sensitivity: this.config.sensitivity });
    this.motion = result.nextState;
    this.stats.framesScored++;
    const at = frameTime(this.now(), this.lastFrameAt, 1000 / MOTION_FPS);
    this.lastFrameAt = at;
    if (this.motionPausedUntil !== null && at <= this.motionPausedUntil) {
      this.stats.framesPaused++;
      if (result.fired.length > 0) this.stats.motionIgnored++;
      this.step({ type: "motion", at, fired: false, peak: 0, zones: [] });
      return;
    }
    if (result.changedBox && result.changedPixels >= DETECT_GATE_PIXELS) {
      this.lastGateAt = at;
      this.motionBox = result.changedBox;
    }
    this.step({ type: "motion", at, fired: this.isFired(result.fired.length > 0, at), peak: result.peak, zones: result.fired });
  }

  /**
   * Motion as the event machine sees it. The motion of the trigger: the zones that fired ("nightjar"), the camera's
   * own motion events ("camera"), either ("both"). Without detection (or while the detector is down): that. With
   * detection: an object of interest seen lately also counts (a cat too small to fire a zone starts an event), and a
   * camera that records only objects counts nothing else.
   */
  private isFired(zoneFired: boolean, at: number): boolean {
    const trigger = this.config.trigger;
    const motion = trigger === "nightjar" ? zoneFired : trigger === "camera" ? this.isCameraMotion(at) : zoneFired || this.isCameraMotion(at);
    if (!this.detectsObjects() || !this.deps.detector!.isAvailable()) return motion;
    const object = this.lastCountedAt !== null && at - this.lastCountedAt <= OBJECT_HOLD_MS;
    return this.detection.record === "objects_only" ? object : motion || object;
  }

  private decodesMotion(): boolean {
    return decodesMotion(this.config.trigger, this.camera.onvifUrl ?? null, this.detectsObjects());
  }

  /** The camera's own motion says motion at `at` (and the camera is not being steered). */
  private isCameraMotion(at: number): boolean {
    if (this.cameraMotionSince === null || at < this.cameraMotionSince) return false;
    return !(this.motionPausedUntil !== null && at <= this.motionPausedUntil);
  }

  /** The camera's event subscription (trigger "camera" or "both"): state and how many subscriptions so far; null without. */
  cameraWatchState(): ReturnType<MotionWatch["state"]> | null {
    return this.cameraWatch?.state() ?? null;
  }

  /** Subscribes to the camera's motion events when they start events (trigger "camera" or "both", an ONVIF camera). */
  private watchCameraEvents(): void {
    if (this.config.trigger === "nightjar" || !this.camera.onvifUrl) return;
    const credentials = cameraCredentials(this.camera, this.deps.credentialsKey);
    this.cameraWatch = watchCameraMotion({
      xaddr: this.camera.onvifUrl,
      username: credentials?.username,
      password: credentials?.password,
      // Called when the camera's motion (any of its sources) changes; off while the subscription is down.
      onMotion: (on, at) => {
        if (this.stopped) return;
        this.stats.cameraEvents++;
        if (on) {
          if (this.cameraMotionSince === null) this.cameraMotionSince = Math.min(at, this.now());
          // The moment itself, so that the event starts when the camera saw it (pre-roll from there).
          if (!this.supervisors[1]) this.step({ type: "motion", at: this.cameraMotionSince, fired: this.isFired(false, this.cameraMotionSince), peak: 100, zones: [] });
        } else this.cameraMotionSince = null;
      },
      onError: (err) => this.log.warn("camera events: subscription failed, retrying", { error: String(err) }),
    });
  }

  /** A colour frame from the decoder: handed to the detector while there is motion, cropped around it. */
  private onDetectionFrame(frame: RgbFrame) {
    if (!this.wantsDetectionFrame()) return;
    // Times on the analysis clock, as the motion frames and event times (the frame came with the latest motion frame).
    const at = this.lastFrameAt ?? this.now();
    const handedAt = this.now();
    const m = this.motionBox;
    const region = m ? regionAround({ x1: m.x1 * frame.width, y1: m.y1 * frame.height, x2: m.x2 * frame.width, y2: m.y2 * frame.height }, frame, INPUT_SIZE) : undefined;
    const lookedAt = region ? { x1: region.x / frame.width, y1: region.y / frame.height, x2: (region.x + region.width) / frame.width, y2: (region.y + region.height) / frame.height } : undefined;
    const minScore = Math.min(this.detection.minScore, ...Object.values(this.detection.minScoreByLabel));
    this.stats.detectFrames++;
    this.deps.detector!.submit(this.camera.id, frame, handedAt, region, minScore, (r) => this.onDetection(r, at, handedAt, lookedAt));
  }

  /** Whether a colour frame now would go to the detector: detection on and motion within DETECT_AFTER_MS (analysis clock). */
  private wantsDetectionFrame(): boolean {
    if (!this.detectsObjects() || this.stopped || this.lastGateAt === null) return false;
    return (this.lastFrameAt ?? this.now()) - this.lastGateAt <= DETECT_AFTER_MS;
  }

  /** The motion zones (ids) where a box stands: its bottom centre (an object's feet or wheels). */
  private zonesOf = (box: Box): string[] => {
    const x = (box.x1 + box.x2) / 2;
    const y = box.y2;
    return this.config.zones.filter((z) => z.enabled && z.kind === "detect" && isInsidePolygon(x, y, z.points)).map((z) => z.id);
  };

  /** An answer for a frame captured at `at` (analysis clock) and handed over at `handedAt` (this.now()). */
  private onDetection(r: DetectionResult, at: number, handedAt: number, lookedAt: Box | undefined) {
    if (this.stopped || !this.detection.enabled) return;
    this.stats.detectAnswers++;
    const found = toFractions(r.found, r.frame.width, r.frame.height);
    const judged = judgeFrame(this.tracker, { cameraId: this.camera.id, settings: this.detection, corrections: this.corrections, found, at, zonesOf: this.zonesOf, tracker: this.deps.tracker ?? DEFAULT_TRACKER, lookedAt });
    this.tracker = judged.tracker;
    this.stats.detectSuppressed += judged.suppressed;
    if (judged.counted.length === 0) return;
    this.lastCountedAt = Math.max(this.lastCountedAt ?? 0, at);
    const sighting: Sighting = { capturedAt: at, handedAt, counted: judged.counted };
    const ev = this.openEventAt(at);
    if (ev) this.addSighting(ev, sighting);
    else {
      this.pendingSightings = [...this.pendingSightings.filter((p) => at - p.capturedAt <= PENDING_DETECTIONS_MS), sighting];
    }
  }

  /** The open event a capture time belongs to: the newest one that started (pre-roll included) before it. */
  private openEventAt(at: number): OpenEvent | null {
    let found: OpenEvent | null = null;
    for (const ev of this.events.values()) {
      if (ev.endMs !== null && at > ev.endMs) continue; // ended before this frame: not its object
      if (ev.startMs - this.config.preRollMs <= at && (!found || ev.startMs > found.startMs)) found = ev;
    }
    return found;
  }

  private addSighting(ev: OpenEvent, s: Sighting) {
    const { acc, newLabels } = addToEvent(ev.objects, s.capturedAt, s.counted);
    if (acc === ev.objects) return;
    ev.objects = acc;
    ev.objectsDirty = true;
    if (newLabels.length) {
      ev.freshLabels.push(...newLabels.map((label) => ({ label, handedAt: s.handedAt })));
      void this.writeObjects(ev);
    } else ev.objectsTimer ??= setTimeout(() => void this.writeObjects(ev), OBJECTS_WRITE_MS);
  }

  /**
   * Writes the event's objects now, in order with its earlier writes. A failed write leaves them to write again (the
   * next sighting's or the event's end). New labels are reported (event.updated "labels", the latency figure) by the
   * write that stores them.
   */
  private writeObjects(ev: OpenEvent): Promise<void> {
    if (ev.objectsTimer) clearTimeout(ev.objectsTimer);
    ev.objectsTimer = null;
    ev.objectsWrite = ev.objectsWrite.then(async () => {
      if (!ev.objectsDirty || !(await ev.rowReady)) return;
      ev.objectsDirty = false;
      const objects = ev.objects;
      const fresh = ev.freshLabels;
      ev.freshLabels = [];
      const bestAt = objects.best?.at ?? null;
      try {
        if (!(await writeEventObjects(this.deps.db, ev.id, objects, { boxes: bestAt !== ev.boxesWrittenAt }))) return;
      } catch (err) {
        ev.objectsDirty = true;
        ev.freshLabels = [...fresh, ...ev.freshLabels];
        this.log.warn("detections not written (written again with the next sighting or at the end)", { event: ev.id, error: String(err) });
        return;
      }
      ev.boxesWrittenAt = bestAt;
      if (fresh.length) {
        const now = this.now();
        for (const f of fresh) this.onLabelsWritten?.(ev.id, [f.label], now - f.handedAt);
        await emitFact(this.deps.db, "event.updated", { ...this.eventFacts(ev), change: "labels", labels: [...objects.labels.keys()] });
      }
    });
    return ev.objectsWrite;
  }

  private step(input: EventInput) {
    if (this.stopped) return;
    const { state, actions } = stepEventMachine(this.machine, input, this.config);
    this.machine = state;
    for (const action of actions) {
      // The event row is written at once (it waits for nothing); clip and photo work stays in order in the queue and
      // waits for its event's row.
      if (action.type === "startEvent") this.openEvent(action);
      else {
        if (action.type === "endEvent") {
          const ev = this.events.get(action.eventStart);
          if (ev) ev.endMs = action.end;
        }
        this.queue = this.queue.then(() => this.handle(action)).catch((err) => this.log.error("action failed", { action: action.type, error: String(err?.stack ?? err) }));
      }
    }
  }

  private openEvent(action: Extract<EventAction, { type: "startEvent" }>) {
    const id = newId();
    const rowReady = this.deps.db.event
      .create({ data: { id, cameraId: this.camera.id, cameraName: this.camera.name, startedAt: new Date(action.eventStart) } })
      .then(() => {
        this.stats.eventsStarted++;
        this.onEventRow?.(id, this.now());
        // Not awaited: clip work never waits for the webhook queue (emitWebhook never throws).
        void emitFact(this.deps.db, "event.started", { eventId: id, cameraId: this.camera.id, cameraName: this.camera.name, startedAt: new Date(action.eventStart).toISOString() });
        return true;
      })
      .catch((err) => {
        this.log.error("event row not written", { error: String(err) });
        return false;
      });
    const ev: OpenEvent = { id, startMs: action.eventStart, clips: [], lastClipEndMs: null, clipFrom: new Map(), extraClips: 0, rowReady, objects: emptyEventObjects(), objectsWrite: Promise.resolve(), objectsDirty: false, objectsTimer: null, boxesWrittenAt: null, freshLabels: [], endMs: null, gone: false };
    this.events.set(action.eventStart, ev);
    // Objects seen in the event's pre-roll (before motion alone, or the answer that started it) are the event's.
    const earliest = action.eventStart - this.config.preRollMs;
    for (const s of this.pendingSightings) if (s.capturedAt >= earliest) this.addSighting(ev, s);
    this.pendingSightings = [];
  }

  private async handle(action: EventAction) {
    const db = this.deps.db;
    switch (action.type) {
      case "startEvent":
        return; // handled at once by openEvent
      case "startClip":
        this.events.get(action.eventStart)?.clipFrom.set(action.sequence, action.from);
        return;
      case "endClip": {
        const ev = this.events.get(action.eventStart);
        if (!ev || ev.gone || !(await ev.rowReady)) return;
        const clipsBefore = ev.clips.length;
        await this.cutClip(ev, action.sequence, ev.clipFrom.get(action.sequence) ?? action.to, action.to);
        // A long alarm split at the longest clip length: the event goes on with a clip more (event.updated). The last
        // clip of an event is told with event.ended.
        if (action.reason === "max_length" && ev.clips.length > clipsBefore) await emitFact(db, "event.updated", { ...this.eventFacts(ev), change: "clip_added", clips: this.webhookClips(ev) });
        return;
      }
      case "endEvent": {
        const ev = this.events.get(action.eventStart);
        this.events.delete(action.eventStart);
        this.stats.eventsEnded++; // counted when its end is handled, whatever became of it (written, gone, no row)
        if (!ev || ev.gone || !(await ev.rowReady)) return;
        await this.writeObjects(ev);
        // A member may delete the event while it records (its clips so far go with it): then there is nothing to end.
        const ended = await db.event.updateMany({ where: { id: ev.id }, data: { endedAt: new Date(action.end), peakScore: action.peak, peakAt: new Date(action.peakAt), zones: JSON.stringify(action.zones) } });
        if (ended.count === 0) {
          this.log.info("event deleted while recording", { eventId: ev.id });
          return;
        }
        // With detections, the photo is the best detection frame (its boxes are drawn on it); else the motion peak.
        const photoAt = ev.objects.best?.at ?? action.peakAt;
        const hasPhoto = await this.takePhoto(ev, photoAt, { exact: ev.objects.best !== null }).catch((err) => {
          this.log.warn("photo failed", { error: String(err) });
          return false;
        });
        await emitFact(db, "event.ended", {
          ...this.eventFacts(ev),
          endedAt: new Date(action.end).toISOString(),
          peakScore: action.peak,
          zones: action.zones,
          labels: [...ev.objects.labels.keys()],
          clips: this.webhookClips(ev),
          photoUrl: hasPhoto ? eventPhotoUrl(this.publicUrl(), ev.id) : null,
        });
        return;
      }
      case "guardEngaged":
      case "guardReleased":
        await recordDiagnostic(db, this.camera.id, "guard", { engaged: action.type === "guardEngaged", reason: action.reason, alarmFraction: Math.round(action.alarmFraction * 100) / 100 });
        if (action.type === "guardEngaged")
          await emitFact(db, "recording.stopped", { cameraId: this.camera.id, cameraName: this.camera.name, reason: "alarm_guard", at: new Date(action.at).toISOString(), detail: action.reason });
        return;
    }
  }

  private publicUrl(): string {
    return this.deps.publicUrl ?? getEnv().publicUrl;
  }

  /** What every event webhook says of the event: ids, the camera's name, the start. */
  private eventFacts(ev: OpenEvent) {
    return { eventId: ev.id, cameraId: this.camera.id, cameraName: this.camera.name, startedAt: new Date(ev.startMs).toISOString() };
  }

  /** The event's clips written so far, with their absolute URLs. */
  private webhookClips(ev: OpenEvent): WebhookClip[] {
    return ev.clips.map((c) => ({ sequence: c.sequence, url: eventClipUrl(this.publicUrl(), ev.id, c.sequence), startedAt: new Date(c.startMs).toISOString(), durationMs: c.endMs - c.startMs }));
  }

  /**
   * Cuts [from, to] (at segment boundaries) once the segments covering `to` exist, and records the clip. A clip never
   * spans two ingest runs (planClip): when the ingest restarted inside the range (the camera changed resolution, or an
   * outage), the clip stops at the old run's last segment and what the new run recorded of the range is cut at once
   * as the next clip of the event.
   */
  private async cutClip(ev: OpenEvent, sequence: number, from: number, to: number) {
    // Consecutive clips of one event touch: the next starts where the previous one actually ended.
    const start = ev.lastClipEndMs !== null ? Math.max(from, ev.lastClipEndMs) : from;
    // The previous clip, cut at a segment's end, already reaches past this clip's end (an event that ended just after
    // a split at the longest clip length): nothing is left to cut.
    if (start >= to) return;
    const deadline = this.now() + (this.isClosing ? STOP_CLIP_WAIT_MS : CLIP_WAIT_MS);
    // Woken by each new segment (at once, not on a poll), and at least every second for the deadline and stop().
    while ((this.ring.newest()?.endMs ?? 0) < to && this.now() < deadline && !this.stopped) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.segmentWaiters = this.segmentWaiters.filter((w) => w !== wake);
          resolve();
        }, 1_000);
        this.segmentWaiters.push(wake);
      });
    }
    // When the footage was there (or the wait gave up): the start of the clip-write breakdown's "queue" step.
    const readyAt = this.now();
    let plan = planClip(this.ring.list(), start, to, { anchorMs: start });
    if (plan.segments.length === 0 || plan.startMs === null || plan.endMs === null) {
      await recordDiagnostic(this.deps.db, this.camera.id, "error", { source: "recorder", problem: "clip_without_footage", sequence: sequence + ev.extraClips });
      return;
    }
    const space = await readDiskSpace(this.deps.dataDir);
    if (isBelowFloor(space, this.deps.minFreeBytes)) {
      await recordDiagnostic(this.deps.db, this.camera.id, "error", { source: "recorder", problem: "disk_full", freeBytes: space.freeBytes, floorBytes: this.deps.minFreeBytes });
      await reportRecordingProblem(this.deps.db, this.camera.id, `the disk is full: ${formatBytes("en", space.freeBytes)} free, ${formatBytes("en", this.deps.minFreeBytes)} kept free`, new Date(this.now()), "disk_full");
      this.mayHaveRecordingProblem = true;
      this.log.error("below the free-space floor: clip not written", { freeBytes: space.freeBytes });
      return;
    }
    for (let isContinuation = false; ; isContinuation = true) {
      if (!(await this.writePlannedClip(ev, sequence + ev.extraClips, plan, to, !isContinuation, isContinuation ? this.now() : readyAt))) return;
      const endMs = plan.endMs!;
      if (to - endMs <= CLIP_END_TOLERANCE_MS || this.stopped) return;
      const rest = planClip(this.ring.list(), endMs, to, { anchorMs: endMs });
      if (rest.segments.length === 0 || rest.endMs === null || rest.endMs <= endMs) return;
      ev.extraClips++;
      plan = rest;
    }
  }

  /**
   * Writes one planned clip (file first, then its row) as clip `sequence` of the event. A clip that cannot be written
   * (a codec MP4 cannot hold, footage ffmpeg cannot read…) is never silent: the camera's recording problem is set for
   * its page and /api/health, and false is returned (the event goes on and is closed with what could be saved).
   */
  private async writePlannedClip(ev: OpenEvent, sequence: number, plan: ClipPlan, to: number, reportGaps: boolean, readyAt: number): Promise<boolean> {
    const waitMs = this.now() - readyAt;
    let written: WrittenEventClip;
    try {
      written = await writeEventClip(this.deps, { cameraId: this.camera.id, eventId: ev.id, sequence, plan, liveDir: this.liveDir });
    } catch (err) {
      if (err instanceof EventGoneError) {
        this.log.info("event deleted while recording: its clip was not kept", { event: ev.id, sequence });
        ev.gone = true;
        return false;
      }
      if (!(err instanceof ClipWriteError)) throw err;
      this.log.error("clip not written", { event: ev.id, sequence, error: err.message });
      await reportRecordingProblem(this.deps.db, this.camera.id, err.problem === "verify_failed" ? err.detail : err.message, new Date(this.now()));
      this.mayHaveRecordingProblem = true;
      return false;
    }
    if (this.mayHaveRecordingProblem) await reportRecordingWorks(this.deps.db, this.camera.id, new Date(this.now()));
    this.mayHaveRecordingProblem = false;
    ev.clips.push(written);
    ev.lastClipEndMs = plan.endMs;
    this.stats.clipsWritten++;
    // A continuation clip starts after the same gap its predecessor reported.
    if (reportGaps && plan.gaps.length) await recordDiagnostic(this.deps.db, this.camera.id, "error", { source: "recorder", problem: "clip_has_gap", sequence, gaps: plan.gaps.length });
    this.onClipWritten?.(ev.id, sequence, this.now(), to, written.timings && { ...written.timings, waitMs });
    return true;
  }

  /** The event photo from its clips, or, when none could be written, from the ring's footage at the peak. True when taken. */
  /** The event photo at `peakAt`; `exact`: that very frame, not the keyframe before it (detection boxes go on it). */
  private async takePhoto(ev: OpenEvent, peakAt: number, opts: PhotoOptions = {}): Promise<boolean> {
    if (await writeEventPhotoFor(this.deps, ev.id, ev.clips, peakAt, opts)) return true;
    // No clip: a full disk gets no photo either (the floor keeps the rest of the system working).
    if (isBelowFloor(await readDiskSpace(this.deps.dataDir), this.deps.minFreeBytes)) return false;
    const segments = this.ring.list();
    const segment = segments.find((s) => peakAt >= s.startMs && peakAt < s.endMs) ?? segments.filter((s) => s.startMs >= ev.startMs)[0];
    if (!segment) return false;
    await writeEventPhotoFromSegment(this.deps, { cameraId: this.camera.id, eventId: ev.id, liveDir: this.liveDir, segment, peakAt }, opts);
    return true;
  }
}
