// Process entry: the camera simulator for development, e2e tests and benchmarks (`npm run sim -- --cameras 4`).
// Starts lib/simulator, prints one line per camera, stops everything (ffmpeg children included) on SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { AUDIO_SETTINGS } from "../lib/simulator/audio";
import { VIDEO_CODEC_NAMES } from "../lib/simulator/rtp";
import { startSimulator, type Simulator, type SimulatorOptions } from "../lib/simulator/simulator";

const USAGE = `Usage: npm run sim -- [options]
  --cameras N          number of cameras (default 1); camera i listens on base + i
  --mode M             replay (default: cached clips from memory) | live (ffmpeg, wall clock burned in; ≤ 2 cameras)
  --base ADDR          first camera's address (default 127.0.0.10)
  --rtsp-port P        RTSP port on every camera address (default 8554)
  --onvif-port P       ONVIF HTTP port on every camera address (default 8000)
  --discovery-port P   WS-Discovery UDP port (default 3702)
  --control-port P     control API on 127.0.0.1 (default 8999; 0 = any free port)
  --username U         credentials for RTSP and ONVIF (default admin)
  --password P         (default: the simulator's fixed test password)
  --no-auth            RTSP without authentication
  --no-onvif           no ONVIF services (implies --no-discovery)
  --no-discovery       no WS-Discovery responders
  --no-multicast       discovery answers unicast probes only
  --label-cameras      burn "CAM i" into each camera's clips (one clip set per camera)
  --codec C            main stream codec of every camera: h264 (default) | h265 (replay mode only); sub is always h264
  --codecs C0,C1,...   per camera main codec, camera i = i-th value (empty or missing: --codec), e.g. h264,h265
  --audio A            sound of every camera on /main and /sub: none (default) | aac (16 kHz mono) | pcmu | pcma (G.711)
  --audios A0,A1,...   per camera sound, like --codecs, e.g. none,pcmu,aac
  --scene FILE         every camera replays this video file (replay mode): motion on = the footage, looped, at its own
                       frame rate, every frame once; motion off = its first frame held still. Main and sub keep the
                       stream widths (1920, 640) at the file's aspect ratio; encoded once, cached by content hash.
                       Real footage: --scene /usr/share/doc/opencv-doc/examples/data/vtest.avi (apt-get install opencv-doc)
  --scenes F0,F1,...   per camera scene file instead of --scene; empty or missing = the synthetic picture
  --ptz I0,I1,...      the cameras (by index) with a pan/tilt/zoom head and the ONVIF PTZ service, e.g. 0,2
  --cache-dir DIR      clip cache (default $NIGHTJAR_SIM_CACHE or .cache/simulator)
  -h, --help`;

function parseCli(argv: string[]): SimulatorOptions | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      cameras: { type: "string", default: "1" },
      mode: { type: "string", default: "replay" },
      base: { type: "string" },
      "rtsp-port": { type: "string" },
      "onvif-port": { type: "string" },
      "discovery-port": { type: "string" },
      "control-port": { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      "no-auth": { type: "boolean", default: false },
      "no-onvif": { type: "boolean", default: false },
      "no-discovery": { type: "boolean", default: false },
      "no-multicast": { type: "boolean", default: false },
      "label-cameras": { type: "boolean", default: false },
      codec: { type: "string" },
      codecs: { type: "string" },
      audio: { type: "string" },
      audios: { type: "string" },
      scene: { type: "string" },
      scenes: { type: "string" },
      ptz: { type: "string" },
      "cache-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return null;
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be an integer 0..65535`);
    return n;
  };
  if (values.mode !== "replay" && values.mode !== "live") throw new Error("--mode must be replay or live");
  /** One value of `allowed`, or undefined for an empty or absent value. */
  const oneOf = <T extends string>(name: string, allowed: readonly T[], v: string | undefined): T | undefined => {
    if (v === undefined || v.trim() === "") return undefined;
    const t = v.trim().toLowerCase();
    if (!(allowed as readonly string[]).includes(t)) throw new Error(`--${name}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`);
    return t as T;
  };
  const listOf = <T extends string>(name: string, allowed: readonly T[], v: string | undefined) => v?.split(",").map((x) => oneOf(name, allowed, x));
  const cameras = int("cameras", values.cameras) ?? 1;
  const ptzIndexes = (values.ptz ?? "").split(",").filter((x) => x.trim() !== "").map((x) => {
    const i = Number(x);
    if (!Number.isInteger(i) || i < 0 || i >= cameras) throw new Error(`--ptz: ${JSON.stringify(x)} is not a camera index 0..${cameras - 1}`);
    return i;
  });
  return {
    cameras,
    mode: values.mode,
    baseAddress: values.base,
    rtspPort: int("rtsp-port", values["rtsp-port"]),
    onvifPort: int("onvif-port", values["onvif-port"]),
    discoveryPort: int("discovery-port", values["discovery-port"]),
    controlPort: int("control-port", values["control-port"]),
    username: values.username,
    password: values.password,
    auth: !values["no-auth"],
    withOnvif: !values["no-onvif"],
    withDiscovery: !values["no-onvif"] && !values["no-discovery"],
    multicast: !values["no-multicast"],
    labelPerCamera: values["label-cameras"],
    codec: oneOf("codec", VIDEO_CODEC_NAMES, values.codec),
    codecs: listOf("codecs", VIDEO_CODEC_NAMES, values.codecs),
    audio: oneOf("audio", AUDIO_SETTINGS, values.audio),
    audios: listOf("audios", AUDIO_SETTINGS, values.audios),
    scene: values.scene,
    scenes: values.scenes?.split(","),
    ptz: Array.from({ length: cameras }, (_, i) => ptzIndexes.includes(i)),
    cacheDir: values["cache-dir"],
  };
}

let options: SimulatorOptions | null;
try {
  options = parseCli(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}

const abort = new AbortController();
let sim: Simulator | null = null;
let isStopping = false;

async function stop(signal: string): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  process.stderr.write(`sim: ${signal}, stopping\n`);
  abort.abort(new Error(signal));
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await sim?.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

try {
  sim = await startSimulator({ ...options, signal: abort.signal });
} catch (err) {
  if (!isStopping) {
    process.stderr.write(`sim: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
if (sim && !isStopping) {
  const credentials = sim.isAuthRequired ? `user ${sim.username} password ${sim.password}` : `no RTSP auth (ONVIF: ${sim.username} / ${sim.password})`;
  for (const c of sim.cameras) {
    process.stdout.write(`camera ${c.index}  ${c.rtspUrl.main}  ${c.rtspUrl.sub}  ${c.codec}${c.audio === "none" ? "" : `+${c.audio}`}${c.scene ? `  scene ${c.scene} (${c.fps} fps)` : ""}  onvif ${c.onvifUrl ?? "-"}  serial ${c.serial}  ${credentials}\n`);
  }
  process.stdout.write(`ready: ${sim.cameras.length} camera(s), ${sim.mode}, in ${sim.startupMs} ms; control ${sim.controlUrl ?? "-"}\n`);
}
