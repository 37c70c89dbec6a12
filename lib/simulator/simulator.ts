// The camera simulator: N simulated cameras in this process, camera i on its own loopback address (base + i) with an
// RTSP server (/main 1080p, /sub 360p), optionally an ONVIF service and a WS-Discovery responder, fed by in-memory
// replay (default; no child processes) or by live ffmpeg encoders; plus the JSON control API for other processes.
// Per camera, the main stream is H.264 (default) or H.265 (the sub stream is always H.264, as on real cameras that
// offer H.265), and the camera may have sound (AAC or G.711), served as a second track on both paths. A camera may
// replay a real video file (a scene, see scene.ts) instead of the synthetic picture, at the file's own frame rate.
import path from "node:path";
import { systemClock } from "../clock";
import { logger } from "../log";
import { AUDIO_SETTINGS, AudioStream, loadAudioClip, type AudioClip, type AudioCodecName, type AudioSetting } from "./audio";
import { DEFAULT_ALT_MAIN, DEFAULT_CLIP_SPEC, ensureAltClips, ensureAudioClips, ensureClips, ensureHevcClips, findFontFile, type ClipSet, type ClipSetSpec, type StreamSpec } from "./clips";
import { startControlServer, type ControlServer } from "./control";
import { startDiscoveryResponder, type DiscoveryResponder } from "./discovery-responder";
import { LiveSource } from "./live-source";
import { startOnvifService, type OnvifService } from "./onvif-service";
import { H264 } from "./h264";
import { H265 } from "./h265";
import { SimulatedPtz, type PtzVector } from "./ptz";
import { ensureView, quantizeView, viewId } from "./ptz-views";
import { FramePacer, loadClip, ReplaySource, type Clip, type ClipPair } from "./replay";
import { ensureSceneAltClips, ensureSceneClips, type SceneClipSet } from "./scene";
import { VIDEO_CODEC_NAMES, type VideoCodec, type VideoCodecName } from "./rtp";
import { MediaStream, RtspServer, type OutageMode, type RtpTrack, type TrafficStats } from "./rtsp-server";

/** The simulator's default password: obviously a test value, never a real camera's. */
export const SIMULATOR_PASSWORD = "nightjar-sim-test";
export const SIMULATOR_USERNAME = "admin";
/** Live mode runs one x264 encoder pair per camera (≈ 35 % of a core each): more than this is refused. */
export const MAX_LIVE_CAMERAS = 2;
/** Highest camera count: addresses must stay inside 127.0.0.0/8 and below .255 of the base's last octet. */
const MAX_CAMERAS = 200;

export type SimulatorMode = "replay" | "live";
export type StreamName = "main" | "sub";
/** The main stream's picture size: the clip spec's (1920x1080 by default) or the alternative (DEFAULT_ALT_MAIN). */
export type MainResolution = "default" | "alt";

const VIDEO_CODECS: Record<VideoCodecName, VideoCodec> = { h264: H264, h265: H265 };

export type SimulatorOptions = {
  cameras: number;
  mode?: SimulatorMode;
  /** Camera 0's address; camera i listens on base + i (default 127.0.0.10). */
  baseAddress?: string;
  rtspPort?: number;
  onvifPort?: number;
  /** WS-Discovery UDP port (default 3702). */
  discoveryPort?: number;
  username?: string;
  password?: string;
  /** false: RTSP accepts requests without credentials (ONVIF still checks its WS-UsernameToken). */
  auth?: boolean;
  /** Offered RTSP schemes (default both; Digest is preferred by clients). */
  authSchemes?: ("digest" | "basic")[];
  /** ONVIF device, media and event services per camera (default true). */
  withOnvif?: boolean;
  /** Per camera (index = camera): a pan/tilt/zoom head with the ONVIF PTZ service (default none). */
  ptz?: readonly boolean[];
  /** WS-Discovery responder per camera (default true; needs withOnvif). */
  withDiscovery?: boolean;
  /** Discovery also answers Probes sent to the multicast group (default true); false = unicast only. */
  multicast?: boolean;
  /** Control API port on controlHost (default 8999); 0 = any free port; null = no control API. */
  controlPort?: number | null;
  controlHost?: string;
  /** Clip cache folder (default $NIGHTJAR_SIM_CACHE or <project>/.cache/simulator). */
  cacheDir?: string;
  clipSpec?: ClipSetSpec;
  /** Burn "CAM <i>" into each camera's clips (one clip set per camera: ~10 s generation each on a cold cache). */
  labelPerCamera?: boolean;
  /** The main stream's codec of every camera (default "h264"); the sub stream is always H.264. */
  codec?: VideoCodecName;
  /** Per camera (index = camera), overriding `codec`; shorter than `cameras` or undefined entries: `codec`. */
  codecs?: readonly (VideoCodecName | undefined)[];
  /** Sound of every camera (default "none"): AAC (16 kHz mono) or G.711 µ-law / A-law (8 kHz), on /main and /sub. */
  audio?: AudioSetting;
  /** Per camera (index = camera), overriding `audio`, like `codecs`. */
  audios?: readonly (AudioSetting | undefined)[];
  /**
   * A video file every camera replays instead of the synthetic picture (replay mode only): motion on = the footage,
   * looped; motion off = its first frame held still. See scene.ts.
   */
  scene?: string;
  /** Per camera (index = camera) instead of `scene`: a file, or "" / undefined / past the end for the synthetic picture. */
  scenes?: readonly (string | undefined)[];
  ffmpegPath?: string;
  /** ffprobe for reading scene files (default $FFPROBE_PATH or "ffprobe"). */
  ffprobePath?: string;
  sessionTimeoutS?: number;
  /** Aborts start-up (clip generation, binding). */
  signal?: AbortSignal;
};

export type SimulatedCamera = {
  readonly index: number;
  readonly name: string;
  readonly host: string;
  /** Without credentials; use the simulator's username/password. */
  readonly rtspUrl: Record<StreamName, string>;
  /** The ONVIF device service URL, or null without ONVIF. */
  readonly onvifUrl: string | null;
  readonly serial: string;
  readonly firmware: string;
  readonly motion: boolean;
  readonly outage: OutageMode;
  /** The main stream's size as requested (the stream follows at its next keyframe). */
  readonly resolution: MainResolution;
  /** The main stream's codec (the sub stream is always H.264). */
  readonly codec: VideoCodecName;
  /** The camera's sound: "none", or the codec of the audio track on both paths. */
  readonly audio: AudioSetting;
  /** The scene file the camera replays (absolute path), or null for the synthetic picture. */
  readonly scene: string | null;
  /** Frames per second of both streams: the clip spec's, or the scene file's. */
  readonly fps: number;
  /** Where the PTZ head points now (ONVIF generic spaces), or null for a fixed camera. */
  readonly ptz: PtzVector | null;
  /** The view the picture shows (ptz-views.ts viewId, e.g. "p0.25_t0_z0"): it follows the head; null without one. */
  readonly ptzView: string | null;
  /** Live ONVIF pull-point subscriptions (0 without ONVIF). */
  readonly eventSubscriptions: number;
};

export type Simulator = {
  readonly mode: SimulatorMode;
  readonly cameras: readonly SimulatedCamera[];
  readonly username: string;
  readonly password: string;
  /** Whether RTSP requires credentials. */
  readonly isAuthRequired: boolean;
  /** http://127.0.0.1:8999, or null without the control API. */
  readonly controlUrl: string | null;
  /** Milliseconds from startSimulator() to every stream answering DESCRIBE (includes clip generation on a cold cache). */
  readonly startupMs: number;
  readonly clips: ClipSet[];
  /** Switches between the static and the motion picture at the next keyframe. */
  setMotion(index: number, on: boolean): void;
  /**
   * Replay mode: `listener` learns when a camera's picture actually changes (the keyframe that starts the motion or
   * static picture, Date.now() ms), for benchmarks that measure from what the camera sent.
   */
  onMotionShown(listener: (index: number, on: boolean, atMs: number) => void): void;
  /**
   * Changes the main stream's picture size mid-stream at the next keyframe (SPS/PPS in-band before the IDR, as real
   * cameras send them; later DESCRIBEs announce the new size). Replay mode only. The alternative clips are made on the
   * first call (a few seconds on a cold cache), then cached like the others.
   */
  setResolution(index: number, resolution: MainResolution): Promise<void>;
  /** refuse: RTSP (and ONVIF/discovery) stop listening and drop clients; stall: RTSP sends nothing; off: normal. */
  setOutage(index: number, mode: OutageMode): Promise<void>;
  /** Changes the firmware version ONVIF GetDeviceInformation reports. */
  setFirmware(index: number, version: string): void;
  /** RTSP traffic of a camera: totals and per connection. */
  bytes(index: number): TrafficStats;
  /** Stops everything (servers, timers, ffmpeg children); idempotent. */
  close(): Promise<void>;
};

type CameraState = {
  index: number;
  name: string;
  host: string;
  rtspUrl: Record<StreamName, string>;
  onvifUrl: string | null;
  serial: string;
  firmware: string;
  motion: boolean;
  outage: OutageMode;
  resolution: MainResolution;
  codec: VideoCodecName;
  audio: AudioSetting;
  scene: string | null;
  fps: number;
  rtsp: RtspServer;
  streams: Record<StreamName, MediaStream>;
  source: { setMotion(on: boolean): void; close(): void | Promise<void> };
  /** The same object as `source` in replay mode; null in live mode. */
  replay: ReplaySource | null;
  /** The label of the camera's clip set (replay). */
  clipLabel: string;
  onvif: OnvifService | null;
  discovery: DiscoveryResponder | null;
  /** The PTZ head (null: a fixed camera); it outlives ONVIF restarts, as presets in a camera's flash do. */
  ptz: SimulatedPtz | null;
  /** The picture of each stream, as GetProfiles describes it. */
  sizes: Record<StreamName, StreamSpec>;
  /** The PTZ view shown (viewId), and the timer that makes the picture follow the head; null for other cameras. */
  view: string | null;
  viewTimer: NodeJS.Timeout | null;
};

const log = logger("simulator");

/** How often a PTZ camera's picture checks where its head points, ms. */
const VIEW_POLL_MS = 200;
/** PTZ views kept loaded per camera (each a few MB of clips). */
const MAX_LOADED_VIEWS = 24;

/** Why live mode refuses H.265 main streams (see LiveSource). */
const LIVE_H265_REFUSAL = "live mode encodes H.264 only (a real-time 1080p libx265 encoder needs well over a core per camera); use replay mode (the default) for H.265 cameras";

/**
 * Each camera's value of a per-camera setting: its entry in `list` if set, else `all`, else `fallback`. Throws on a
 * value not in `allowed` or a list longer than the camera count (a typo in a CLI list should not pass unnoticed).
 */
export function perCameraSetting<T extends string>(name: string, allowed: readonly T[], cameras: number, all: T | undefined, list: readonly (T | undefined)[] | undefined, fallback: T): T[] {
  const check = (v: T | undefined, where: string) => {
    if (v !== undefined && !allowed.includes(v)) throw new Error(`${where}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`);
  };
  check(all, name);
  if (list && list.length > cameras) throw new Error(`${name}s: ${list.length} values for ${cameras} camera(s)`);
  list?.forEach((v, i) => check(v, `${name}s[${i}]`));
  return Array.from({ length: cameras }, (_, i) => list?.[i] ?? all ?? fallback);
}

/**
 * Each camera's scene file (absolute) or null (synthetic): `all` for every camera, or `list` per camera ("" or past its
 * end: synthetic). Both at once, or a list longer than the camera count, is refused.
 */
export function perCameraScene(cameras: number, all: string | undefined, list: readonly (string | undefined)[] | undefined): (string | null)[] {
  const given = (v: string | undefined) => (v?.trim() ? path.resolve(v.trim()) : null);
  if (given(all) && list) throw new Error("scene and scenes: give one of them");
  if (list && list.length > cameras) throw new Error(`scenes: ${list.length} values for ${cameras} camera(s)`);
  return Array.from({ length: cameras }, (_, i) => (list ? given(list[i]) : given(all)));
}

/** The key of a scene camera's clips: the scene and the main stream's codec. */
const sceneKey = (scene: string, codec: VideoCodecName) => `${scene}|${codec}`;

/** 127.0.0.10 + 3 → 127.0.0.13 (carrying into the third octet); must stay in 127.0.0.0/8. */
export function cameraAddress(base: string, index: number): string {
  const parts = base.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255) || parts[0] !== 127) throw new Error(`base address must be an IPv4 address in 127.0.0.0/8: ${base}`);
  const n = ((parts[1] << 16) | (parts[2] << 8) | parts[3]) + index;
  if (n >= 1 << 24 || (n & 0xff) === 0 || (n & 0xff) === 255) throw new Error(`camera ${index} would get an unusable address from base ${base}`);
  return `127.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** Deterministic serial from the address: NJSIM-7F00000A for 127.0.0.10. */
export function cameraSerial(host: string): string {
  return "NJSIM-" + host.split(".").map((p) => Number(p).toString(16).padStart(2, "0").toUpperCase()).join("");
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const started = performance.now();
  const o = {
    mode: "replay" as SimulatorMode,
    baseAddress: "127.0.0.10",
    rtspPort: 8554,
    onvifPort: 8000,
    discoveryPort: 3702,
    username: SIMULATOR_USERNAME,
    password: SIMULATOR_PASSWORD,
    auth: true,
    withOnvif: true,
    withDiscovery: true,
    multicast: true,
    controlPort: 8999 as number | null,
    controlHost: "127.0.0.1",
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Required<Omit<SimulatorOptions, "cacheDir" | "clipSpec" | "ffmpegPath" | "ffprobePath" | "sessionTimeoutS" | "signal" | "authSchemes" | "labelPerCamera" | "codec" | "codecs" | "audio" | "audios" | "scene" | "scenes">> & SimulatorOptions;
  if (!Number.isInteger(o.cameras) || o.cameras < 1 || o.cameras > MAX_CAMERAS) throw new Error(`cameras must be 1..${MAX_CAMERAS}`);
  if (o.mode === "live" && o.cameras > MAX_LIVE_CAMERAS) throw new Error(`live mode encodes in real time (≈ 35 % of a core per camera): at most ${MAX_LIVE_CAMERAS} cameras`);
  const spec = o.clipSpec ?? DEFAULT_CLIP_SPEC;
  const hosts = Array.from({ length: o.cameras }, (_, i) => cameraAddress(o.baseAddress, i));
  const codecs = perCameraSetting("codec", VIDEO_CODEC_NAMES, o.cameras, o.codec, o.codecs, "h264");
  const audios = perCameraSetting("audio", AUDIO_SETTINGS, o.cameras, o.audio, o.audios, "none");
  if (o.mode === "live" && codecs.includes("h265")) throw new Error(LIVE_H265_REFUSAL);
  const scenes = perCameraScene(o.cameras, o.scene, o.scenes);
  if (o.mode === "live" && scenes.some(Boolean)) throw new Error("scenes are replayed from encoded clips: use replay mode (the default)");

  const cameras: CameraState[] = [];
  const clipSets: ClipSet[] = [];
  /** One pacer per frame rate: the clip spec's for synthetic cameras, a scene's own for scene cameras. */
  const pacers = new Map<number, FramePacer>();
  const pacerAt = (fps: number): FramePacer => {
    let p = pacers.get(fps);
    if (!p) pacers.set(fps, (p = new FramePacer(fps)));
    return p;
  };
  let control: ControlServer | null = null;
  let isClosed = false;
  let startupMs = 0;
  let handleCache: Simulator | null = null;
  /** Alternative main-stream clips by clip label or scene and codec ("CAM 1|h265"), loaded on the first resolution change. */
  const altClipsByLabel = new Map<string, Promise<ClipPair>>();

  const closeAll = async () => {
    if (isClosed) return;
    isClosed = true;
    await control?.close();
    await Promise.all(
      cameras.map(async (c) => {
        if (c.viewTimer) clearInterval(c.viewTimer);
        await c.source.close();
        await Promise.all([c.rtsp.close(), c.onvif?.close(), c.discovery?.close()]);
      }),
    );
    for (const p of pacers.values()) p.close();
  };

  try {
    // Sources: replay clips (generated once, cached) or live encoders; sound from the audio clips in both modes.
    const clipsByLabel = new Map<string, { main: Partial<Record<VideoCodecName, ClipPair>>; sub: ClipPair }>();
    /** Scene clips by scene and main codec ("/path/vtest.avi|h264"). */
    const sceneClips = new Map<string, { set: SceneClipSet; main: ClipPair; sub: ClipPair }>();
    const labelOf = (index: number) => (o.labelPerCamera ? `CAM ${index}` : spec.label);
    const generation = { cacheDir: o.cacheDir, ffmpegPath: o.ffmpegPath, ffprobePath: o.ffprobePath, signal: o.signal };
    const audioClips = new Map<AudioCodecName, AudioClip>();
    const audioCodecs = [...new Set(audios.filter((a): a is AudioCodecName => a !== "none"))];
    if (audioCodecs.length) {
      const set = await ensureAudioClips({ ...generation, spec });
      if (set.isGenerated) log.info("audio clips generated", { dir: set.dir, ms: Math.round(set.waitedMs) });
      for (const codec of audioCodecs) audioClips.set(codec, loadAudioClip(set.files[codec], codec, spec.seconds));
    }
    if (o.mode === "replay") {
      const labels = [...new Set(hosts.flatMap((_, i) => (scenes[i] ? [] : [labelOf(i)])))];
      for (const label of labels) {
        const labelSpec = { ...spec, label };
        const needsHevc = codecs.some((c, i) => c === "h265" && !scenes[i] && labelOf(i) === label);
        const [set, hevc] = await Promise.all([ensureClips({ ...generation, spec: labelSpec }), needsHevc ? ensureHevcClips({ ...generation, spec: labelSpec }) : null]);
        clipSets.push(set);
        if (set.isGenerated) log.info("clips generated", { dir: set.dir, ms: Math.round(set.waitedMs) });
        if (hevc?.isGenerated) log.info("H.265 clips generated", { dir: hevc.dir, ms: Math.round(hevc.waitedMs) });
        clipsByLabel.set(label, {
          main: {
            h264: { static: loadClip(set.files.main.static), motion: loadClip(set.files.main.motion) },
            ...(hevc ? { h265: { static: loadClip(hevc.files.static, H265, spec.main), motion: loadClip(hevc.files.motion, H265, spec.main) } } : {}),
          },
          sub: { static: loadClip(set.files.sub.static), motion: loadClip(set.files.sub.motion) },
        });
      }
      for (const key of new Set(scenes.flatMap((scene, i) => (scene ? [sceneKey(scene, codecs[i])] : [])))) {
        const [scene, codec] = key.split("|") as [string, VideoCodecName];
        const set = await ensureSceneClips({ ...generation, spec, scene, codec });
        if (set.isGenerated) log.info("scene clips generated", { scene, codec, dir: set.dir, ms: Math.round(set.waitedMs) });
        const load = (profile: "main" | "sub", variant: "static" | "motion") => loadClip(set.files[profile][variant], VIDEO_CODECS[profile === "main" ? codec : "h264"], set.sizes[profile]);
        sceneClips.set(key, { set, main: { static: load("main", "static"), motion: load("main", "motion") }, sub: { static: load("sub", "static"), motion: load("sub", "motion") } });
      }
    }
    const fontFile = o.mode === "live" ? findFontFile() : null;

    for (let index = 0; index < o.cameras; index++) {
      o.signal?.throwIfAborted();
      const host = hosts[index];
      const codec = codecs[index];
      const scene = scenes[index];
      const sceneSet = scene ? sceneClips.get(sceneKey(scene, codec))! : null;
      const fps = sceneSet?.set.scene.fps ?? spec.fps;
      const streams = { main: new MediaStream("main", fps, VIDEO_CODECS[codec]), sub: new MediaStream("sub", fps) };
      const audioSetting = audios[index];
      // One audio track per camera, served on both paths (trackID=1 after the video).
      const audio = audioSetting === "none" ? null : new AudioStream("audio", audioClips.get(audioSetting)!, fps);
      const paths: Record<StreamName, RtpTrack | RtpTrack[]> = audio ? { main: [streams.main, audio], sub: [streams.sub, audio] } : streams;
      const rtsp = new RtspServer({
        host,
        port: o.rtspPort,
        streams: paths,
        auth: o.auth ? { username: o.username, password: o.password, schemes: o.authSchemes } : null,
        sessionTimeoutS: o.sessionTimeoutS,
        onError: (err) => log.warn("rtsp error", { host, error: err.message }),
      });
      let source: CameraState["source"];
      let replay: ReplaySource | null = null;
      const clipLabel = labelOf(index);
      if (o.mode === "replay") {
        const clips = sceneSet ?? { main: clipsByLabel.get(clipLabel)!.main[codec]!, sub: clipsByLabel.get(clipLabel)!.sub };
        source = replay = new ReplaySource(
          pacerAt(fps),
          [
            { stream: streams.main, clips: clips.main },
            { stream: streams.sub, clips: clips.sub },
          ],
          { audio: audio ? [audio] : [] },
        );
      } else {
        source = new LiveSource({
          label: `CAM ${index}`,
          main: streams.main,
          sub: streams.sub,
          spec,
          fontFile,
          audio,
          ffmpegPath: o.ffmpegPath,
          onLog: (m) => log.warn(m, { host }),
        });
      }
      const cam: CameraState = {
        index,
        name: `Simulated camera ${index}`,
        host,
        rtspUrl: { main: `rtsp://${host}:${o.rtspPort}/main`, sub: `rtsp://${host}:${o.rtspPort}/sub` },
        onvifUrl: null,
        serial: cameraSerial(host),
        firmware: "1.0.0",
        motion: false,
        outage: "off",
        resolution: "default",
        codec,
        audio: audioSetting,
        scene,
        fps,
        rtsp,
        streams,
        source,
        replay,
        clipLabel,
        onvif: null,
        discovery: null,
        ptz: o.ptz?.[index] ? new SimulatedPtz(systemClock) : null,
        sizes: sceneSet?.set.sizes ?? { main: spec.main, sub: spec.sub },
        view: null,
        viewTimer: null,
      };
      cameras.push(cam);
      await rtsp.listen();
      await startOnvif(cam);
      await followHead(cam);
    }
    // Live encoders need a moment before their first keyframe; replay streams are ready at once.
    await Promise.all(cameras.map((c) => streamsReady(c)));
    startupMs = Math.round(performance.now() - started);
    if (o.controlPort !== null) {
      control = await startControlServer({ simulator: handle(), host: o.controlHost, port: o.controlPort });
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  async function streamsReady(c: CameraState): Promise<void> {
    for (const st of Object.values(c.streams)) if (!(await st.ready(20_000))) throw new Error(`${c.host}: no video from the ${o.mode} source within 20 s`);
  }

  /**
   * A PTZ camera's picture follows its head (replay mode, a synthetic H.264 camera): every VIEW_POLL_MS the head's
   * position, quantized, picks a view (ptz-views.ts: encoded on first use, cached); replay shows it from the next
   * keyframe. The first view is ready before the camera is. Other cameras (H.265, scene footage, live mode) keep
   * their picture while the head moves: said in the README.
   */
  async function followHead(c: CameraState): Promise<void> {
    if (!c.ptz || !c.replay || c.codec !== "h264" || c.scene) return;
    const loaded = new Map<string, ReadonlyMap<MediaStream, Clip>>();
    const idOf = new WeakMap<ReadonlyMap<MediaStream, Clip>, string>();
    // c.view is the view on screen: it changes at the keyframe that shows it, not when it is asked for.
    c.replay.onViewShown = (views) => (c.view = views ? (idOf.get(views) ?? null) : null);
    let asked: string | null = null;
    let busy = false;
    const show = async () => {
      const key = quantizeView(c.ptz!.position());
      const id = viewId(key);
      if (id === asked || busy || isClosed) return;
      busy = true;
      try {
        let views = loaded.get(id);
        if (!views) {
          const files = await ensureView({ cacheDir: o.cacheDir, ffmpegPath: o.ffmpegPath, spec, view: key });
          views = new Map([
            [c.streams.main, loadClip(files.main)],
            [c.streams.sub, loadClip(files.sub)],
          ]);
          // Views a head passed long ago are read again from the cache when it comes back.
          if (loaded.size >= MAX_LOADED_VIEWS) loaded.delete(loaded.keys().next().value!);
          loaded.set(id, views);
          idOf.set(views, id);
        }
        c.replay!.setView(views);
        asked = id;
      } catch (err) {
        log.warn("PTZ view not made", { host: c.host, view: id, error: String(err) });
      } finally {
        busy = false;
      }
    };
    await show();
    c.viewTimer = setInterval(() => void show(), VIEW_POLL_MS);
  }

  async function startOnvif(cam: CameraState): Promise<void> {
    if (!o.withOnvif) return;
    cam.onvif = await startOnvifService({
      host: cam.host,
      port: o.onvifPort,
      username: o.username,
      password: o.password,
      manufacturer: "Nightjar",
      model: "Simulated Camera",
      firmware: cam.firmware,
      serial: cam.serial,
      hardwareId: "NJ-SIM-1",
      rtspPort: o.rtspPort,
      streams: {
        main: { ...cam.sizes.main, fps: cam.fps, encoding: cam.codec === "h265" ? "H265" : "H264" },
        sub: { ...cam.sizes.sub, fps: cam.fps, encoding: "H264" },
      },
      ptz: cam.ptz !== null,
      ptzHead: cam.ptz ?? undefined,
    });
    cam.onvif.setMotion(cam.motion);
    cam.onvifUrl = cam.onvif.deviceXaddr;
    if (o.withDiscovery) {
      cam.discovery = await startDiscoveryResponder({
        host: cam.host,
        xaddr: cam.onvif.deviceXaddr,
        port: o.discoveryPort,
        multicast: o.multicast,
        name: cam.name,
        hardware: "Simulated Camera",
        manufacturer: "Nightjar",
      });
    }
  }

  /** The alternative main-stream pair of a camera (1280 wide): made on first use, then cached like the other clips. */
  async function loadAltPair(c: CameraState): Promise<ClipPair> {
    const codec = VIDEO_CODECS[c.codec];
    const generation = { cacheDir: o.cacheDir, ffmpegPath: o.ffmpegPath, ffprobePath: o.ffprobePath, alt: DEFAULT_ALT_MAIN, codec: c.codec };
    const set = c.scene ? await ensureSceneAltClips({ ...generation, spec, scene: c.scene }) : await ensureAltClips({ ...generation, spec: { ...spec, label: c.clipLabel } });
    if (set.isGenerated) log.info("alternative clips generated", { dir: set.dir, codec: c.codec, ms: Math.round(set.waitedMs) });
    const size = "size" in set ? set.size : set.alt;
    return { static: loadClip(set.files.static, codec, size), motion: loadClip(set.files.motion, codec, size) };
  }

  const camera = (index: number): CameraState => {
    const c = cameras[index];
    if (!Number.isInteger(index) || !c) throw new RangeError(`no simulated camera ${index}`);
    return c;
  };

  function handle(): Simulator {
    handleCache ??= {
      mode: o.mode,
      cameras: cameras.map((c) => ({
        index: c.index,
        name: c.name,
        host: c.host,
        rtspUrl: c.rtspUrl,
        get onvifUrl() {
          return c.onvifUrl;
        },
        serial: c.serial,
        get firmware() {
          return c.firmware;
        },
        get motion() {
          return c.motion;
        },
        get outage() {
          return c.outage;
        },
        get resolution() {
          return c.resolution;
        },
        codec: c.codec,
        audio: c.audio,
        scene: c.scene,
        fps: c.fps,
        get ptz() {
          return c.ptz?.position() ?? null;
        },
        get ptzView() {
          return c.view;
        },
        get eventSubscriptions() {
          return c.onvif?.subscriptions ?? 0;
        },
      })),
      username: o.username,
      password: o.password,
      isAuthRequired: o.auth,
      get controlUrl() {
        return control?.url ?? null;
      },
      get startupMs() {
        return startupMs;
      },
      clips: clipSets,
      setMotion(index, on) {
        const c = camera(index);
        c.motion = on;
        c.source.setMotion(on);
        // The camera's own motion detector says so too (ONVIF events), as a real camera's would.
        c.onvif?.setMotion(on);
      },
      onMotionShown(listener) {
        cameras.forEach((c, index) => {
          if (c.replay) c.replay.onMotionShown = (on, atMs) => listener(index, on, atMs);
        });
      },
      async setResolution(index, resolution) {
        const c = camera(index);
        if (!c.replay) throw new Error("resolution changes need replay mode");
        if (resolution === "alt") {
          const key = c.scene ? sceneKey(c.scene, c.codec) : `${c.clipLabel}|${c.codec}`;
          let pair = altClipsByLabel.get(key);
          if (!pair) {
            pair = loadAltPair(c);
            altClipsByLabel.set(key, pair);
            pair.catch(() => altClipsByLabel.delete(key));
          }
          c.replay.addAlternative(c.streams.main, await pair);
        }
        c.resolution = resolution;
        c.replay.setAlternative(resolution === "alt");
      },
      async setOutage(index, mode) {
        const c = camera(index);
        if (c.outage === mode) return;
        const was = c.outage;
        c.outage = mode;
        await c.rtsp.setOutage(mode);
        // An unreachable camera is unreachable on every port; a hung one (stall) still answers ONVIF.
        if (mode === "refuse") {
          await Promise.all([c.onvif?.close(), c.discovery?.close()]);
          c.onvif = null;
          c.discovery = null;
        } else if (was === "refuse") {
          await startOnvif(c);
        }
      },
      setFirmware(index, version) {
        const c = camera(index);
        c.firmware = version;
        c.onvif?.setFirmware(version);
      },
      bytes(index) {
        return camera(index).rtsp.traffic();
      },
      close: closeAll,
    };
    return handleCache;
  }

  return handle();
}
