// `npm run bench:heartbeat`: how many bytes the camera status checks exchange per camera per hour.
// Runs one simulated hour of checks (CHECKS_PER_HOUR at the default 60 s interval, a DESCRIBE with Digest
// authentication every DESCRIBE_EVERY_CHECKS-th) back to back against a simulated camera, counts the bytes on our
// side, cross-checks them with the simulator's own counters, and prints the figure next to the vendor's < 20 KB/h.
import { checkRtsp } from "../lib/cameras/rtsp-check";
import { DESCRIBE_EVERY_CHECKS, MEASURE_EVERY_MS, MEASURE_SECONDS } from "../lib/cameras/status-monitor";
import { withCredentials } from "../lib/cameras/stream-url";
import { runProbe } from "../lib/ffmpeg/probe";
import { startSimulator } from "../lib/simulator/simulator";
import { formatBytes } from "../lib/i18n/format";

const CHECK_SECONDS = Number(process.env.CAMERA_CHECK_SECONDS ?? 60);
const CHECKS_PER_HOUR = Math.round(3600 / CHECK_SECONDS);

const sim = await startSimulator({ cameras: 1, baseAddress: "127.0.0.200", rtspPort: 28554, onvifPort: 28000, discoveryPort: 48702, controlPort: null, withDiscovery: false });
try {
  const cam = sim.cameras[0];
  const before = sim.bytes(0);
  let ours = 0;
  let optionsBytes = 0;
  let describeBytes = 0;
  for (let i = 0; i < CHECKS_PER_HOUR; i++) {
    const describe = i % DESCRIBE_EVERY_CHECKS === 0;
    const r = await checkRtsp(cam.rtspUrl.main, { timeoutMs: 2000, describe, credentials: { username: sim.username, password: sim.password } });
    if (!r.ok) throw new Error(`check failed: ${r.problem} ${r.detail}`);
    ours += r.bytes;
    if (describe) describeBytes = r.bytes;
    else optionsBytes = r.bytes;
  }
  const after = sim.bytes(0);
  // The periodic stream measurement (ffprobe reads MEASURE_SECONDS of the main stream).
  await runProbe("ffprobe", withCredentials(cam.rtspUrl.main, { username: sim.username, password: sim.password }), { timeoutMs: 5000, measureSeconds: MEASURE_SECONDS });
  const afterMeasure = sim.bytes(0);
  const measureBytes = afterMeasure.bytesSent + afterMeasure.bytesReceived - (after.bytesSent + after.bytesReceived);
  const theirs = after.bytesSent + after.bytesReceived - (before.bytesSent + before.bytesReceived);
  const kb = (n: number) => formatBytes("en", n);
  console.log(`heartbeat: ${CHECKS_PER_HOUR} checks per hour (every ${CHECK_SECONDS} s), DESCRIBE every ${DESCRIBE_EVERY_CHECKS}th`);
  console.log(`  one OPTIONS check:            ${optionsBytes} bytes (TCP payload, both directions)`);
  console.log(`  one OPTIONS + DESCRIBE check: ${describeBytes} bytes (with the Digest challenge round trip)`);
  console.log(`  per camera per hour:          ${kb(ours)} counted by Nightjar, ${kb(theirs)} counted by the camera`);
  console.log(`  vendor statement for comparison: < 20 KB per hour in standby`);
  const hours = MEASURE_EVERY_MS / 3_600_000;
  console.log(`stream measurement: ${kb(measureBytes)} per run (${MEASURE_SECONDS} s of the main stream), every ${hours} h = ${kb(measureBytes / hours)} per hour (LAN only)`);
} finally {
  await sim.close();
}
