// Process entry: the object detector. Forked by the recorder worker (lib/detection/client.ts) on Node's IPC channel,
// one per server, shared by all cameras: it loads the model once (lib/detection/detector.ts, onnxruntime on the CPU,
// DETECTOR_THREADS threads, default 1), then answers one frame at a time. A process of its own so that a crash or a
// slow model never stops the recorder. Writes its heartbeat every HEARTBEAT_MS. A model that is missing or corrupt is
// "fatal": said once to the recorder and in the heartbeat, then the process exits with FATAL_EXIT_CODE.
import { closeDb, db } from "../lib/db";
import { DetectorError, openDetector } from "../lib/detection/detector";
import { MODEL, modelPath } from "../lib/detection/model";
import { FATAL_EXIT_CODE, type DetectorMessage, type DetectRequest } from "../lib/detection/protocol";
import { getEnv } from "../lib/env";
import { HEARTBEAT_MS, writeHeartbeat } from "../lib/health";
import { MIB } from "../lib/i18n/format";
import { logger } from "../lib/log";

const log = logger("detector");
const send = (m: DetectorMessage) => process.send?.(m);
const startedAt = new Date();
const database = await db();
const threads = getEnv().DETECTOR_THREADS;
const stats = { frames: 0, failed: 0, inferMs: [] as number[] };
let problem: string | null = null;
/** Answers in order, one at a time; and whether stop() began (both set before any signal can arrive). */
let chain: Promise<void> = Promise.resolve();
let isStopping = false;

async function beat() {
  const sorted = [...stats.inferMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : null);
  const info = { model: MODEL.name, threads, problem, frames: stats.frames, failed: stats.failed, inferMs: { p50: at(0.5), p95: at(0.95) }, rssMb: Math.round(process.memoryUsage().rss / MIB) };
  await writeHeartbeat(database, "detector", startedAt, info).catch((err) => log.error("heartbeat failed", { error: String(err) }));
}

// Nothing to do without the recorder: when it goes (or restarts), so does this process.
process.on("disconnect", () => void stop("disconnect"));
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

/** The heartbeat timer, set once the model is loaded (a stop signal can come while it loads). */
const heartbeat: { timer?: NodeJS.Timeout } = {};
const loadStart = performance.now();
let detector: Awaited<ReturnType<typeof openDetector>> | undefined;
try {
  detector = await openDetector({ modelPath: modelPath(), threads });
} catch (err) {
  const code = err instanceof DetectorError ? err.code : "model_unusable";
  problem = `${code}: ${err instanceof Error ? err.message : String(err)}`;
  log.error("the detector cannot start", { problem });
  send({ type: "fatal", code, message: err instanceof Error ? err.message : String(err) });
  await beat();
  await closeDb();
  process.exit(FATAL_EXIT_CODE);
}
const loadMs = Math.round(performance.now() - loadStart);
await beat();
heartbeat.timer = setInterval(() => void beat(), HEARTBEAT_MS);
send({ type: "ready", model: { name: MODEL.name, inputSize: MODEL.inputSize, sha256: MODEL.sha256, threads }, loadMs });
log.info("ready", { model: MODEL.name, threads, loadMs });

// One frame at a time: the client sends the next only after an answer; a second one arriving early waits its turn.
process.on("message", (m: DetectRequest) => {
  if (m?.type !== "detect") return;
  chain = chain.then(async () => {
    try {
      const rgb = m.rgb instanceof Uint8Array ? m.rgb : new Uint8Array(m.rgb);
      const { found, inferMs } = await detector.detect({ rgb, width: m.width, height: m.height }, m.region, m.minScore);
      stats.frames++;
      stats.inferMs.push(inferMs);
      if (stats.inferMs.length > 500) stats.inferMs.shift();
      send({ type: "result", id: m.id, found: found.map(({ x1, y1, x2, y2, label, score }) => ({ x1, y1, x2, y2, label, score })), inferMs });
    } catch (err) {
      stats.failed++;
      send({ type: "failed", id: m.id, code: err instanceof DetectorError ? err.code : "detect_failed", message: err instanceof Error ? err.message : String(err) });
    }
  });
});

async function stop(why: string) {
  if (isStopping) return;
  isStopping = true;
  log.info("stopping", { why });
  clearInterval(heartbeat.timer);
  await chain.catch(() => undefined);
  await detector?.close().catch(() => undefined);
  await closeDb();
  process.exit(0);
}
