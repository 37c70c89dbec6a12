// Typed configuration: every environment variable Nightjar reads, parsed once with zod.
// Shared by the web server and the workers; never imports next/*. An empty string counts as unset.
import path from "node:path";
import { z } from "zod";
import { databaseFile } from "./data-dir";

const empty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const bool = z.preprocess((v) => (typeof v === "string" ? ["1", "true", "yes", "on"].includes(v.toLowerCase()) : v), z.boolean());

const schema = z.object({
  /** Where the database, secrets and media live. */
  DATA_DIR: z.preprocess(empty, z.string().default("data")),
  /** Address the web server listens on; 0.0.0.0 so the household reaches it on the LAN. */
  HOST: z.preprocess(empty, z.string().default("0.0.0.0")),
  /** TCP port of the web server. */
  PORT: z.preprocess(empty, z.coerce.number().int().min(1).max(65535).default(3000)),
  /** The address members type in their browser, e.g. https://nvr.home.arpa. https ⇒ Secure cookies. */
  PUBLIC_URL: z.preprocess(empty, z.url().optional()),
  /** More host names members use besides PUBLIC_URL's (comma-separated, optional :port), e.g. "nas.local,nvr.lan". */
  ALLOWED_HOSTS: z.preprocess(empty, z.string().optional()),
  /** Fixed lifetime of a sign-in, in days (not extended by activity). */
  SESSION_DAYS: z.preprocess(empty, z.coerce.number().int().min(1).max(365).default(30)),
  /** Trust X-Forwarded-For from a reverse proxy for the client address (login throttling). */
  TRUST_PROXY: z.preprocess(empty, bool.default(false)),
  /** The session signing secret; generated into $DATA_DIR/secrets when unset. */
  SESSION_SECRET: z.preprocess(empty, z.string().min(32).optional()),
  /** 32-byte key (base64) that encrypts camera credentials; generated into $DATA_DIR/secrets when unset. */
  CREDENTIALS_KEY: z.preprocess(empty, z.string().optional()),
  /** Web Push VAPID private key: the P-256 scalar, 32 bytes base64url (web-push's format); generated into $DATA_DIR/secrets when unset. */
  VAPID_PRIVATE_KEY: z.preprocess(empty, z.string().optional()),
  /** The VAPID `sub` claim push services may contact: a mailto: or https: URL. Unset: PUBLIC_URL. */
  VAPID_SUBJECT: z.preprocess(empty, z.string().regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https:// URL").optional()),
  FFMPEG_PATH: z.preprocess(empty, z.string().default("ffmpeg")),
  FFPROBE_PATH: z.preprocess(empty, z.string().default("ffprobe")),
  /** Seconds between liveness checks of each camera (RTSP OPTIONS; DESCRIBE every DESCRIBE_EVERY_CHECKS-th check). */
  CAMERA_CHECK_SECONDS: z.preprocess(empty, z.coerce.number().min(0.2).max(3600).default(60)),
  /** UDP port of WS-Discovery (3702 on real networks; tests may use another). */
  DISCOVERY_PORT: z.preprocess(empty, z.coerce.number().int().min(1).max(65535).default(3702)),
  /** Interface addresses multicast discovery probes from, comma-separated; unset = every IPv4 interface. */
  DISCOVERY_INTERFACES: z.preprocess(empty, z.string().optional()),
  /** Address-range sweeps may scan 127.0.0.0/8 (simulated cameras of tests and the demo); refused otherwise. */
  DISCOVERY_ALLOW_LOOPBACK: z.preprocess(empty, bool.default(false)),
  /** TCP port of the ONVIF HTTP check in address-range sweeps. */
  ONVIF_HTTP_PORT: z.preprocess(empty, z.coerce.number().int().min(1).max(65535).default(80)),
  /** Below this much free disk space (MiB) on $DATA_DIR, no new clips are written and admins are alerted. */
  MEDIA_MIN_FREE_MB: z.preprocess(empty, z.coerce.number().int().min(0).default(2048)),
  /** An on-request live ingest (camera not recorded, or a sub stream) stops this many seconds after its last playlist request. */
  LIVE_IDLE_SECONDS: z.preprocess(empty, z.coerce.number().min(2).max(3600).default(60)),
  /** Live over WebRTC (lib/live/webrtc): off = HLS only. */
  WEBRTC_ENABLED: z.preprocess(empty, bool.default(true)),
  /**
   * The one local address WebRTC gathers its ICE host candidate on (browsers must reach it: the server's LAN address);
   * unset = every address of the server's interfaces. No STUN or TURN server is ever contacted.
   */
  WEBRTC_BIND_ADDRESS: z.preprocess(empty, z.ipv4().optional()),
  /** One UDP port for every WebRTC viewer (ICE UDP mux; for firewalls and port mapping); unset = an ephemeral port each. */
  WEBRTC_UDP_PORT: z.preprocess(empty, z.coerce.number().int().min(1024).max(65535).optional()),
  /** WebRTC viewers at once per camera stream and per member (more get 429 and play HLS). */
  WEBRTC_MAX_PEERS_PER_CAMERA: z.preprocess(empty, z.coerce.number().int().min(1).max(1000).default(16)),
  WEBRTC_MAX_PEERS_PER_MEMBER: z.preprocess(empty, z.coerce.number().int().min(1).max(1000).default(24)),
  /** Largest JSON request body a route accepts, in bytes. */
  MAX_JSON_BYTES: z.preprocess(empty, z.coerce.number().int().min(1024).default(64 * 1024)),
  LOG_LEVEL: z.preprocess(empty, z.enum(["debug", "info", "warn", "error"]).default("info")),
  /** The object-detection model file (default: .cache/models/ in the checkout; lib/detection/model.ts). */
  DETECTION_MODEL_PATH: z.preprocess(empty, z.string().optional()),
  /** onnxruntime's threads in the detector process (one detector per server; 1 leaves the other core to ffmpeg). */
  DETECTOR_THREADS: z.preprocess(empty, z.coerce.number().int().min(1).max(8).default(1)),
});

export type Env = z.infer<typeof schema> & {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  /** ALLOWED_HOSTS as a list. */
  allowedHosts: string[];
  /** PUBLIC_URL, or http://localhost:PORT. */
  publicUrl: string;
  isHttps: boolean;
  sessionMaxAgeSeconds: number;
};

let cached: Env | null = null;

/** Parses process.env on first use (not at import, so `next build` needs no configuration). */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  cached = {
    ...e,
    dataDir,
    databasePath: databaseFile(dataDir),
    allowedHosts: (e.ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean),
    publicUrl,
    isHttps: publicUrl.startsWith("https:"),
    sessionMaxAgeSeconds: e.SESSION_DAYS * 24 * 60 * 60,
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = null;
}
