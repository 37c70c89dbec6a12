// e2e: real Chromium (Debian's, /usr/bin/chromium, or CHROMIUM_PATH) against the production build, served by
// `npm start` on a fresh, empty data folder. The "setup" project runs first-run setup once; every other spec
// signs in as the owner it created and makes its own members with random e-mails.
import { defineConfig, devices } from "@playwright/test";
import { E2E_BASE_URL, E2E_DATA_DIR, E2E_PORT, SIM } from "./e2e/fixtures/env";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // Per test, ms: a limit that finds a hung test, not a speed check. 60 s leaves room for a machine busy with other work
  // (CI's two cores; setup once ran out of 30 s beside a CI run); tests that take longer set their own.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "setup", testMatch: /setup\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", testIgnore: /setup\.spec\.ts/, dependencies: ["setup"], use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: [
    {
      // Simulated ONVIF cameras on 127.0.0.10… (RTSP, ONVIF, WS-Discovery), driven through their control API; one sends
      // H.265 with sound (SIM.hevcCamera, e2e/codecs.spec.ts), one replays real footage (SIM.sceneCamera, e2e/detection.spec.ts).
      command: `node --import tsx workers/sim.ts --cameras ${SIM.cameras} --codecs ${SIM.codecs} --audios ${SIM.audios} --scenes ${SIM.scenes} --ptz ${SIM.ptz} --base ${SIM.base} --control-port ${SIM.controlPort}`,
      url: `${SIM.controlUrl}/cameras`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: "node --import tsx e2e/fixtures/server.ts",
      url: `${E2E_BASE_URL}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATA_DIR: E2E_DATA_DIR,
        PORT: String(E2E_PORT),
        HOST: "127.0.0.1",
        PUBLIC_URL: E2E_BASE_URL,
        LOG_LEVEL: "error",
        // Discovery stays on loopback, where the simulated cameras are; checks are frequent so status shows quickly.
        DISCOVERY_INTERFACES: "127.0.0.1",
        DISCOVERY_ALLOW_LOOPBACK: "true",
        CAMERA_CHECK_SECONDS: "1",
        // On-request live streams stop 4 s after the last viewer left (e2e/live.spec.ts waits for that).
        LIVE_IDLE_SECONDS: "4",
      },
    },
  ],
});
