import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { jpegSize, photoPairArgs, writeEventPhoto } from "./photos";

describe("event photos", () => {
  test("argv", () => {
    assert.deepEqual(photoPairArgs("/m/c.mp4", -5, "/m/p.jpg", "/m/t.jpg").slice(8, 10), ["-ss", "0.000"]);
    assert.deepEqual(photoPairArgs("/m/c.mp4", 1000, "/m/p.jpg", "/m/t.jpg"), [
      "-v", "error", "-y", "-skip_frame", "nokey", "-noaccurate_seek", "-threads", "1", "-ss", "1.000", "-i", "/m/c.mp4", "-filter_complex_threads", "1",
      "-filter_complex", "[0:v]split=2[full][small];[small]scale=320:-2[thumb]",
      "-map", "[full]", "-frames:v", "1", "-fps_mode", "passthrough", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", "/m/p.jpg",
      "-map", "[thumb]", "-frames:v", "1", "-fps_mode", "passthrough", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", "/m/t.jpg",
    ]);
  });

  test("argv for the exact frame (detection photos): an accurate seek, every frame of the GOP decoded up to it", () => {
    const exact = photoPairArgs("/m/c.mp4", 1500, "/m/p.jpg", "/m/t.jpg", { exact: true });
    assert.deepEqual(exact.slice(0, 7), ["-v", "error", "-y", "-threads", "1", "-ss", "1.500"]);
    assert.ok(!exact.includes("-skip_frame") && !exact.includes("-noaccurate_seek"));
  });

  test("jpegSize reads SOF; rejects non-JPEG", () => {
    assert.equal(jpegSize(Buffer.from("not a jpeg")), null);
  });

  test("a photo and thumbnail from a real clip, with their sizes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-photo-"));
    const clip = path.join(dir, "clip.mp4");
    const made = spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=10", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
    assert.equal(made.status, 0);
    const { photo, thumb } = await writeEventPhoto("ffmpeg", clip, 1500, path.join(dir, "p.jpg"), path.join(dir, "t.jpg"));
    assert.deepEqual([photo.width, photo.height], [1280, 720]);
    assert.deepEqual([thumb.width, thumb.height], [320, 180]);
    assert.equal(photo.bytes, fs.statSync(path.join(dir, "p.jpg")).size);
    assert.ok(thumb.bytes < photo.bytes);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["clip.mp4", "p.jpg", "t.jpg"], "no temp files");
    await assert.rejects(writeEventPhoto("ffmpeg", path.join(dir, "missing.mp4"), 0, path.join(dir, "x.jpg"), path.join(dir, "y.jpg")));
    assert.equal(fs.existsSync(path.join(dir, "x.jpg")), false);
    fs.rmSync(dir, { recursive: true });
  });
});
