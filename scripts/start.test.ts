// `npm start` on a machine without a usable media engine: a clear message that says what to install, exit 69, and
// nothing half-started (no data folder, no database, no web server or worker).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

const root = path.resolve(import.meta.dirname, "..");

test("without ffmpeg, npm start stops with what to install and starts nothing", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-start-"));
  const dataDir = path.join(tmp, "data");
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts")], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DATA_DIR: dataDir, PORT: "3299", FFMPEG_PATH: "/nonexistent/ffmpeg", FFPROBE_PATH: "/nonexistent/ffprobe", LOG_LEVEL: "error" },
    });
    assert.equal(r.status, 69, r.stdout + r.stderr);
    assert.match(r.stderr, /ffmpeg not found at "\/nonexistent\/ffmpeg": install Debian's ffmpeg \(sudo apt-get install ffmpeg\) or set FFMPEG_PATH and FFPROBE_PATH/);
    assert.match(r.stderr, /ffprobe not found/);
    assert.match(r.stdout, /nothing was started/);
    assert.doesNotMatch(r.stdout, /database up to date|building|listening/);
    assert.equal(fs.existsSync(dataDir), false, "no data folder, no database, no secrets");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
