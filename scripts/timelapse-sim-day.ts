// Test tool (e2e/timelapse.spec.ts): a simulated day of timelapse frames for a camera of the Nightjar in $DATA_DIR.
//   node --import tsx scripts/timelapse-sim-day.ts --camera <id> --day YYYY-MM-DD --interval <seconds> --rtsp <url>
// Records --seconds (6) s of the camera's RTSP main stream (the URL carries user:password) into fMP4 segments in a temp
// folder, then keeps one of their keyframes every --interval seconds of --day (the server's time zone) through the
// recorder's capture path (lib/testing/timelapse-day.ts). Prints { day, kept } as JSON.
// captureSimulatedDay holds the day open while it fills it (the scheduler's runner closes a day that is over).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, db } from "../lib/db";
import { getEnv } from "../lib/env";
import { captureSimulatedDay, makeSegments } from "../lib/testing/timelapse-day";
import { isDay, serverTimeZone } from "../lib/time";
import { isTimelapseInterval } from "../lib/timelapse/settings";

const { values } = parseArgs({
  options: { camera: { type: "string" }, day: { type: "string" }, interval: { type: "string" }, rtsp: { type: "string" }, seconds: { type: "string", default: "6" } },
});
const interval = Number(values.interval);
const seconds = Number(values.seconds);
if (!values.camera || !values.day || !isDay(values.day) || !isTimelapseInterval(interval) || !values.rtsp || !(seconds > 0)) {
  console.error("usage: timelapse-sim-day.ts --camera <id> --day YYYY-MM-DD --interval <10–3600 s> --rtsp <rtsp://user:password@host/path> [--seconds 6]");
  process.exit(2);
}

const env = getEnv();
const database = await db();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-timelapse-sim-"));
try {
  const camera = await database.camera.findUniqueOrThrow({ where: { id: values.camera }, select: { id: true, name: true } });
  const source = await makeSegments(env.FFMPEG_PATH, tmp, { kind: "rtsp", url: values.rtsp, seconds });
  if (source.segments.length === 0) throw new Error("no segments recorded from the stream");
  const day = values.day;
  const kept = await captureSimulatedDay(database, env.dataDir, source, { camera, day, timeZone: serverTimeZone(), intervalSeconds: interval });
  console.log(JSON.stringify({ day, kept, segments: source.segments.length }));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeDb();
}
