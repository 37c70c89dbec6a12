import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { footagePath, hasFootage } from "../testing/footage";
import { DEFAULT_CLIP_SPEC, type ClipSetSpec } from "./clips";
import { parseAnnexB } from "./h264";
import { buildSceneClipArgs, ensureSceneClips, parseSceneProbe, probeScene, sceneCacheKey, sceneGopFrames, sceneStreamSize, type SceneStreamOutput } from "./scene";
import { perCameraScene } from "./simulator";

describe("sceneStreamSize", () => {
  const cases: { name: string; stream: { width: number; height: number }; scene: { width: number; height: number }; expected: [number, number] }[] = [
    { name: "vtest 768x576 at the 1920x1080 main stream: the width kept, 4:3", stream: { width: 1920, height: 1080 }, scene: { width: 768, height: 576 }, expected: [1920, 1440] },
    { name: "vtest at the 640x360 sub stream", stream: { width: 640, height: 360 }, scene: { width: 768, height: 576 }, expected: [640, 480] },
    { name: "vtest at the 1280x720 alternative main", stream: { width: 1280, height: 720 }, scene: { width: 768, height: 576 }, expected: [1280, 960] },
    { name: "tree 320x240, scaled up", stream: { width: 640, height: 360 }, scene: { width: 320, height: 240 }, expected: [640, 480] },
    { name: "16:9 footage is the stream's own size", stream: { width: 640, height: 360 }, scene: { width: 1280, height: 720 }, expected: [640, 360] },
    { name: "an odd height rounds to even", stream: { width: 640, height: 360 }, scene: { width: 720, height: 404 }, expected: [640, 360] },
    { name: "portrait footage fits a square of the stream's width", stream: { width: 640, height: 360 }, scene: { width: 576, height: 768 }, expected: [480, 640] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = sceneStreamSize({ ...c.stream, bitrateKbps: 512 }, c.scene);
      assert.deepEqual([s.width, s.height, s.bitrateKbps], [...c.expected, 512]);
    });
  }
});

describe("sceneGopFrames: the synthetic clips' GOP duration at the scene's rate", () => {
  const cases: { spec: Pick<ClipSetSpec, "fps" | "gopFrames">; fps: number; expected: number }[] = [
    { spec: { fps: 25, gopFrames: 25 }, fps: 10, expected: 10 },
    { spec: { fps: 25, gopFrames: 25 }, fps: 15, expected: 15 },
    { spec: { fps: 25, gopFrames: 50 }, fps: 10, expected: 20 },
    { spec: { fps: 25, gopFrames: 25 }, fps: 1, expected: 1 },
    { spec: { fps: 25, gopFrames: 5 }, fps: 2, expected: 1 },
  ];
  for (const c of cases) test(`${c.spec.gopFrames} frames at ${c.spec.fps} fps → ${c.expected} at ${c.fps} fps`, () => assert.equal(sceneGopFrames({ ...DEFAULT_CLIP_SPEC, ...c.spec }, c.fps), c.expected));
});

describe("parseSceneProbe", () => {
  const json = (stream: object | null) => JSON.stringify({ programs: [], streams: stream ? [stream] : [] });
  const ok: { name: string; input: string; expected: ReturnType<typeof parseSceneProbe> }[] = [
    { name: "vtest.avi", input: json({ width: 768, height: 576, r_frame_rate: "10/1", nb_read_frames: "795" }), expected: { width: 768, height: 576, fps: 10, frames: 795 } },
    { name: "tree.avi: a nominal 14.9999 fps rounds to 15; 68 frames decode", input: json({ width: 320, height: 240, r_frame_rate: "1000000/66667", nb_read_frames: "68" }), expected: { width: 320, height: 240, fps: 15, frames: 68 } },
    { name: "NTSC 30000/1001 → 30", input: json({ width: 720, height: 480, r_frame_rate: "30000/1001", nb_read_frames: "10" }), expected: { width: 720, height: 480, fps: 30, frames: 10 } },
  ];
  for (const c of ok) test(c.name, () => assert.deepEqual(parseSceneProbe("/x.avi", c.input), c.expected));
  const bad: { name: string; input: string; error: RegExp }[] = [
    { name: "not JSON", input: "oops", error: /scene \/x\.avi: ffprobe's answer is not JSON/ },
    { name: "no video stream (an audio file)", input: json(null), error: /scene \/x\.avi: no video stream/ },
    { name: "no frame decodes", input: json({ width: 320, height: 240, r_frame_rate: "15/1", nb_read_frames: "0" }), error: /ffmpeg decodes no frame of it/ },
    { name: "frame rate unknown", input: json({ width: 320, height: 240, r_frame_rate: "0/0", nb_read_frames: "5" }), error: /frame rate 0\/0 is not 1\.\.60 fps/ },
    { name: "frame rate too high", input: json({ width: 320, height: 240, r_frame_rate: "120/1", nb_read_frames: "5" }), error: /frame rate 120\/1/ },
    { name: "no size", input: json({ r_frame_rate: "10/1", nb_read_frames: "5" }), error: /no picture size/ },
  ];
  for (const c of bad) test(c.name, () => assert.throws(() => parseSceneProbe("/x.avi", c.input), c.error));
});

describe("buildSceneClipArgs", () => {
  const vtest = { width: 768, height: 576, fps: 10, frames: 795 };
  const x264 = (rate: string) => ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-r", "10", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0", "-bf", "0", "-b:v", rate, "-maxrate", rate, "-bufsize", rate, "-x264-params", "repeat-headers=1"];
  const x265 = (rate: string) => ["-c:v", "libx265", "-preset", "ultrafast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-r", "10", "-b:v", rate, "-maxrate", rate, "-bufsize", rate, "-x265-params", "log-level=error:keyint=10:min-keyint=10:scenecut=0:bframes=0:open-gop=0:repeat-headers=1"];
  const out = (name: string, variant: string, encoder: string[], format: string, file: string) => ["-map", `[${name}_${variant}]`, "-frames:v", "795", "-fps_mode", "passthrough", ...encoder, "-an", "-f", format, file];
  const head = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", "/in/vtest.avi", "-filter_complex"];
  const cases: { name: string; streams: SceneStreamOutput[]; expected: string[] }[] = [
    {
      name: "a camera: H.265 main 1920x1440 and H.264 sub 640x480, static and motion each",
      streams: [
        { name: "main", size: { width: 1920, height: 1440, bitrateKbps: 4000 }, codec: "h265", files: { static: "/o/main-static.h265", motion: "/o/main-motion.h265" } },
        { name: "sub", size: { width: 640, height: 480, bitrateKbps: 512 }, codec: "h264", files: { static: "/o/sub-static.h264", motion: "/o/sub-motion.h264" } },
      ],
      expected: [
        ...head,
        "[0:v:0]settb=1/10,setpts=N,split=2[motion][first];[first]trim=end_frame=1,loop=loop=794:size=1:start=0,settb=1/10,setpts=N[still];[motion]split=2[m0][m1];[still]split=2[s0][s1];" +
          "[s0]scale=1920:1440,format=yuv420p[main_static];[m0]scale=1920:1440,format=yuv420p[main_motion];[s1]scale=640:480,format=yuv420p[sub_static];[m1]scale=640:480,format=yuv420p[sub_motion]",
        ...out("main", "static", x265("4000k"), "hevc", "/o/main-static.h265"),
        ...out("main", "motion", x265("4000k"), "hevc", "/o/main-motion.h265"),
        ...out("sub", "static", x264("512k"), "h264", "/o/sub-static.h264"),
        ...out("sub", "motion", x264("512k"), "h264", "/o/sub-motion.h264"),
      ],
    },
    {
      name: "the alternative main pair alone: H.264 1280x960",
      streams: [{ name: "main", size: { width: 1280, height: 960, bitrateKbps: 2500 }, codec: "h264", files: { static: "/o/main-alt-static.h264", motion: "/o/main-alt-motion.h264" } }],
      expected: [
        ...head,
        "[0:v:0]settb=1/10,setpts=N,split=2[motion][first];[first]trim=end_frame=1,loop=loop=794:size=1:start=0,settb=1/10,setpts=N[still];[motion]split=1[m0];[still]split=1[s0];" +
          "[s0]scale=1280:960,format=yuv420p[main_static];[m0]scale=1280:960,format=yuv420p[main_motion]",
        ...out("main", "static", x264("2500k"), "h264", "/o/main-alt-static.h264"),
        ...out("main", "motion", x264("2500k"), "h264", "/o/main-alt-motion.h264"),
      ],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(buildSceneClipArgs("/in/vtest.avi", vtest, 10, c.streams), c.expected));

  test("the cache key follows the content and the command, not the file's path", () => {
    const streams: SceneStreamOutput[] = [{ name: "main", size: { width: 640, height: 480, bitrateKbps: 512 }, codec: "h264", files: { static: "OUT/a", motion: "OUT/b" } }];
    const key = (sha256: string, s = streams, scene = vtest) => sceneCacheKey({ ...scene, sha256 }, 10, s);
    assert.equal(key("a".repeat(64)), key("a".repeat(64)));
    assert.notEqual(key("a".repeat(64)), key("b".repeat(64)));
    assert.notEqual(key("a".repeat(64)), key("a".repeat(64), [{ ...streams[0], codec: "h265" }]));
    assert.notEqual(key("a".repeat(64)), key("a".repeat(64), streams, { ...vtest, frames: 794 }));
  });
});

describe("perCameraScene", () => {
  const cases: { name: string; cameras: number; all?: string; list?: (string | undefined)[]; expected: (string | null)[] | RegExp }[] = [
    { name: "none: synthetic", cameras: 2, expected: [null, null] },
    { name: "--scene: every camera, path made absolute", cameras: 2, all: "clips/a.avi", expected: [path.resolve("clips/a.avi"), path.resolve("clips/a.avi")] },
    { name: "--scenes: empty and missing entries are synthetic", cameras: 3, list: ["/a.avi", ""], expected: ["/a.avi", null, null] },
    { name: "a blank --scene is no scene", cameras: 1, all: " ", expected: [null] },
    { name: "both at once", cameras: 2, all: "/a.avi", list: ["/b.avi"], expected: /give one of them/ },
    { name: "more scenes than cameras", cameras: 1, list: ["/a.avi", "/b.avi"], expected: /2 values for 1 camera/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.expected instanceof RegExp) assert.throws(() => perCameraScene(c.cameras, c.all, c.list), c.expected);
      else assert.deepEqual(perCameraScene(c.cameras, c.all, c.list), c.expected);
    });
  }
});

describe("scene files", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-scene-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  /** A small spec (main 320 wide, sub 160) so a test's encode takes seconds. */
  const spec: ClipSetSpec = { ...DEFAULT_CLIP_SPEC, main: { width: 320, height: 180, bitrateKbps: 400 }, sub: { width: 160, height: 90, bitrateKbps: 150 } };

  test("a missing file and a file ffmpeg cannot decode give clear errors", async () => {
    await assert.rejects(probeScene(path.join(tmp, "nope.avi")), /scene file not found: .*nope\.avi/);
    const junk = path.join(tmp, "junk.avi");
    fs.writeFileSync(junk, "not a video at all");
    await assert.rejects(probeScene(junk), /scene .*junk\.avi: ffmpeg cannot decode it: .*Invalid data/);
    await assert.rejects(ensureSceneClips({ scene: junk, cacheDir: tmp, spec }), /ffmpeg cannot decode it/);
  });

  /** Frames of a raw video as grey planes, `width` × `height`. */
  const greyFrames = (args: string[], width: number, height: number): Buffer[] => {
    const r = spawnSync("ffmpeg", ["-v", "error", ...args, "-vf", `scale=${width}:${height}`, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-"], { maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr?.toString());
    const size = width * height;
    return Array.from({ length: r.stdout.length / size }, (_, i) => r.stdout.subarray(i * size, (i + 1) * size));
  };
  const meanAbsDiff = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

  test("vtest: frame n of the motion clip is frame n of the file (none dropped, doubled or shifted); the static clip is frame 0", { skip: !hasFootage("vtest.avi") && "apt-get install opencv-doc" }, async () => {
    const set = await ensureSceneClips({ scene: footagePath("vtest.avi"), cacheDir: tmp, spec });
    assert.deepEqual([set.scene.fps, set.scene.frames, set.gopFrames], [10, 795, 10]);
    assert.deepEqual([set.sizes.main.width, set.sizes.main.height, set.sizes.sub.width, set.sizes.sub.height], [320, 240, 160, 120]);
    const aus = parseAnnexB(fs.readFileSync(set.files.sub.motion));
    assert.equal(aus.length, 795);
    assert.deepEqual(aus.flatMap((au, i) => (au.isKey ? [i] : [])).slice(0, 3), [0, 10, 20]);
    const source = greyFrames(["-i", footagePath("vtest.avi")], 160, 120);
    const motion = greyFrames(["-f", "h264", "-i", set.files.sub.motion], 160, 120);
    const still = greyFrames(["-f", "h264", "-i", set.files.sub.static], 160, 120);
    assert.deepEqual([source.length, motion.length, still.length], [795, 795, 795]);
    for (const n of [1, 100, 401, 793]) {
      const nearest = [n - 1, n, n + 1].sort((a, b) => meanAbsDiff(motion[n], source[a]) - meanAbsDiff(motion[n], source[b]))[0];
      assert.equal(nearest, n, `motion frame ${n} looks most like file frame ${nearest}`);
    }
    for (const n of [1, 400, 794]) assert.ok(meanAbsDiff(still[n], source[0]) < meanAbsDiff(still[n], source[n]), `static frame ${n} is frame 0`);
    // Asked again: the same cached folder, not made a second time (its manifest is the one written above).
    const manifest = () => fs.readFileSync(path.join(set.dir, "manifest.json"), "utf8");
    const written = manifest();
    const again = await ensureSceneClips({ scene: footagePath("vtest.avi"), cacheDir: tmp, spec });
    assert.equal(again.dir, set.dir);
    assert.equal(manifest(), written);
  });

  test("tree: a file with gaps in its timestamps gives each of its 68 frames once, at its nominal 15 fps; H.265 main", { skip: !hasFootage("tree.avi") && "apt-get install opencv-doc" }, async () => {
    const set = await ensureSceneClips({ scene: footagePath("tree.avi"), cacheDir: tmp, spec, codec: "h265" });
    assert.deepEqual([set.scene.fps, set.scene.frames, set.gopFrames], [15, 68, 15]);
    assert.equal(path.extname(set.files.main.motion), ".h265");
    assert.equal(parseAnnexB(fs.readFileSync(set.files.sub.motion)).length, 68);
    assert.equal(greyFrames(["-f", "hevc", "-i", set.files.main.motion], 64, 48).length, 68);
  });
});
