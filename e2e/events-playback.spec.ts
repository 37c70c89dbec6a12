// Whole-event playback end to end with real recordings: a simulated camera with the shortest clip length (5 s) makes
// a short event and then one of several clips (beforeAll). The player plays the clips as one video across the clip
// boundary without stalling, changes speed, steps frames while paused, and opens the next event when one ends if the
// member wants; the joined file is served with range requests to those who see the camera only, and the whole-event
// download is one MP4 as long as its clips together (ffprobe). The camera and its events are removed at the end.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

const SIM_CAMERA = 2;
const CAMERA = "Driveway";

type Summary = { id: string; startedAt: string; endedAt: string | null; clips: { sequence: number }[]; hasPhoto: boolean };
type Playback = { mode: "whole" | "clips"; mimeType: string | null; frameMs: number | null; clips: { sequence: number; startMs: number; durationMs: number }[]; copiesReady: boolean };

let cameraId = "";
/** The event of several clips (the newest) and the short one before it (the next in the list). */
let multi: Summary;
let short: Summary;

async function finishedEvents(api: APIRequestContext): Promise<Summary[]> {
  const res = await api.get(`/api/events?camera=${cameraId}&limit=50`);
  expect(res.status()).toBe(200);
  return ((await res.json()).events as Summary[]).filter((e) => e.endedAt && e.clips.length > 0 && e.hasPhoto);
}

/** Motion on or off in the simulated camera (its control API, outside the app). */
async function setMotion(on: boolean): Promise<void> {
  const res = await fetch(`${SIM.controlUrl}/cameras/${SIM_CAMERA}/motion`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ on }) });
  expect(res.ok).toBe(true);
}

/** One burst of motion of `ms`; resolves once one more event finished (a burst the recorder missed is tried again). */
async function makeEvent(api: APIRequestContext, ms: number, isEnough: (e: Summary) => boolean): Promise<Summary> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const before = new Set((await finishedEvents(api)).map((e) => e.id));
    await setMotion(true);
    await new Promise((r) => setTimeout(r, ms));
    await setMotion(false);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const added = (await finishedEvents(api)).find((e) => !before.has(e.id));
      if (added && isEnough(added)) return added;
      if (added) break; // too short (the recorder started late): once more
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error("no event was recorded");
}

async function openPlayer(page: Page, e: Summary) {
  await page.goto(`/events?camera=${cameraId}&show=all`);
  await page.locator(`[data-testid=event][data-event-id="${e.id}"]`).getByRole("button", { name: /^Photo of the event/ }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  const video = dialog.getByTestId("event-video");
  await expect(video).toBeVisible();
  return { dialog, video };
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const api = await ownerApi();
  try {
    const add = await api.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
    expect(add.status()).toBe(201);
    cameraId = (await add.json()).camera.id;
    // Clips of 5 s (the shortest allowed): an event of 12 s of motion is written as three clips.
    const motion = await api.put(`/api/cameras/${cameraId}/motion`, { data: { minMotionMs: 300, quietMs: 1000, preRollMs: 1000, postRollMs: 1000, maxClipMs: 5_000 } });
    expect(motion.status()).toBe(200);
    await expect.poll(async () => (await (await api.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 8000)); // the recorder picks up the settings and fills its pre-roll
    short = await makeEvent(api, 2000, () => true);
    await new Promise((r) => setTimeout(r, 1500));
    multi = await makeEvent(api, 12_000, (e) => e.clips.length >= 2);
  } finally {
    await setMotion(false);
    await api.dispose();
  }
});

test.afterAll(async () => {
  await setMotion(false);
  if (!cameraId) return;
  const api = await ownerApi();
  expect((await api.delete(`/api/cameras/${cameraId}?recordings=delete`)).status()).toBe(200);
  await api.dispose();
});

test("an event of several clips plays as one video: past the clip boundary without waiting or ending", async ({ page }, testInfo) => {
  const plan = (await (await page.request.get(`/api/events/${multi.id}/playback`)).json()) as Playback;
  expect(plan.mode).toBe("whole");
  expect(plan.clips.length).toBe(multi.clips.length);
  expect(plan.copiesReady, "H.264 clips have no copies to join").toBe(false);
  const boundary = plan.clips[1].startMs / 1000;

  // The video the player gets is one timeline without a hole or an overlap, across the clip boundaries too (ffprobe):
  // every video packet follows the one before by one frame's duration. (The join re-times each clip to start where the
  // one before ended, lib/ffmpeg/concat.ts; this checks that the player is given such a file.)
  const res = await page.request.get(`/api/events/${multi.id}/play`);
  expect(res.status()).toBe(200);
  const played = testInfo.outputPath("played.mp4");
  fs.writeFileSync(played, await res.body());
  const dts = execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=dts_time", "-of", "csv=p=0", played], { encoding: "utf8" }).trim().split("\n").map(Number);
  expect(dts.length).toBeGreaterThan(100);
  expect(dts.every(Number.isFinite), "every packet has a decode time").toBe(true);
  const steps = dts.slice(1).map((t, i) => t - dts[i]);
  const frame = steps.slice().sort((a, b) => a - b)[steps.length >> 1];
  expect(frame).toBeGreaterThan(0);
  expect(steps.filter((d) => Math.abs(d - frame) > 0.002), `steps other than the frame's ${frame} s`).toEqual([]);
  const { dialog, video } = await openPlayer(page, multi);
  await expect(video).toHaveAttribute("data-source", "whole");
  await expect(video).toHaveAttribute("src", `/api/events/${multi.id}/play`);
  // The boundaries are marked on the strip under the video.
  await expect(dialog.getByTestId("clip-boundary")).toHaveCount(plan.clips.length - 1);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(boundary + 1.5);

  // From just before the boundary: every playback event and the time at each timeupdate, until 1.5 s past it.
  await video.evaluate(async (v: HTMLVideoElement, at: number) => {
    v.muted = true;
    v.pause();
    v.currentTime = at;
    await new Promise((r) => v.addEventListener("seeked", r, { once: true }));
  }, boundary - 1);
  // The stretch to play is downloaded first (preload="auto" buffers while paused): a server slowed by a busy machine
  // then cannot make the browser wait, and a "waiting" left in the trace is the video's own (a gap at the boundary).
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement, [from, to]: number[]) => Array.from({ length: v.buffered.length }, (_, i) => i).some((i) => v.buffered.start(i) <= from && v.buffered.end(i) >= to), [boundary - 1, boundary + 2]), { timeout: 15_000 })
    .toBe(true);
  // Each event with the time and how many seconds were buffered ahead of it then.
  await video.evaluate(async (v: HTMLVideoElement) => {
    const w = window as unknown as { trace: { type: string; t: number; ahead: number }[] };
    w.trace = [];
    const ahead = () => Math.max(0, ...Array.from({ length: v.buffered.length }, (_, i) => (v.buffered.start(i) <= v.currentTime ? v.buffered.end(i) - v.currentTime : 0)));
    for (const type of ["timeupdate", "waiting", "stalled", "ended", "emptied", "pause"]) v.addEventListener(type, () => w.trace.push({ type, t: v.currentTime, ahead: ahead() }));
    await v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(boundary + 1.5);
  const trace = await page.evaluate(() => (window as unknown as { trace: { type: string; t: number; ahead: number }[] }).trace);
  const times = trace.filter((e) => e.type === "timeupdate").map((e) => e.t);
  expect(times.some((t) => t < boundary) && times.some((t) => t > boundary)).toBe(true);
  // (The first timeupdate may come with play() itself, before the first frame advanced.)
  for (let i = 2; i < times.length; i++) expect(times[i], `timeupdate ${i} of ${times.length}`).toBeGreaterThan(times[i - 1]);
  // No end, no switch of source, no pause, no stall of the download, and no wait for data. One "waiting" with a second
  // or more already buffered ahead is the browser's decoder falling behind on a machine whose two cores are busy (seen
  // once each in two CI runs, right after the boundary's keyframe: at 5.38 s and 5.45 s): the data was there and the
  // timeline has no hole (ffprobe above), so it is left out; playback went on past it (the timeupdates above).
  const decoderBehind = trace.filter((e) => e.type === "waiting" && e.ahead >= 1);
  expect(decoderBehind.length, "the decoder fell behind more than once").toBeLessThanOrEqual(1);
  expect(trace.filter((e) => e.type !== "timeupdate" && !decoderBehind.includes(e))).toEqual([]);
  // The clip buttons follow the clip being played, and seek in the one video.
  await expect(dialog.getByRole("button", { name: "Play clip 2" })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByRole("button", { name: "Play clip 1" }).click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime < 1)).toBe(true);
});

test("speed 4× plays at 4×; a frame step while paused moves one frame, with the buttons and , .", async ({ page }) => {
  const plan = (await (await page.request.get(`/api/events/${multi.id}/playback`)).json()) as Playback;
  const frame = (plan.frameMs ?? 0) / 1000;
  expect(frame).toBeGreaterThan(0.01);
  const { dialog, video } = await openPlayer(page, multi);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  const speed = dialog.getByRole("group", { name: "Speed" });
  await speed.getByRole("button", { name: "4×" }).click();
  await expect(speed.getByRole("button", { name: "4×" })).toHaveAttribute("aria-pressed", "true");
  expect(await video.evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(4);
  await page.keyboard.press("<");
  expect(await video.evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(2);
  await speed.getByRole("button", { name: "1×" }).click();

  // Paused in the middle of the event, then one frame forward and back (buttons), and with the keys.
  await video.evaluate(async (v: HTMLVideoElement) => {
    v.pause();
    v.currentTime = 3;
    await new Promise((r) => v.addEventListener("seeked", r, { once: true }));
  });
  const now = () => video.evaluate((v: HTMLVideoElement) => (v.seeking ? null : v.currentTime));
  const step = async (action: () => Promise<void>, expected: number) => {
    await action();
    await expect.poll(now).not.toBeNull();
    await expect.poll(async () => Math.abs((await now())! - expected)).toBeLessThan(frame / 4);
    expect(await video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  };
  await step(() => dialog.getByRole("button", { name: "Next frame" }).click(), 3 + frame);
  await step(() => dialog.getByRole("button", { name: "Previous frame" }).click(), 3);
  await dialog.getByRole("heading").first().click(); // focus out of the buttons: the keys are the page's
  await step(() => page.keyboard.press("."), 3 + frame);
  await step(() => page.keyboard.press(","), 3);
  // The help lists the keys.
  await page.keyboard.press("?");
  await expect(page.getByTestId("shortcuts")).toContainText("Next frame (pauses)");
});

test("'play the next event' is remembered and opens the next event when one ends", async ({ page }) => {
  const { dialog, video } = await openPlayer(page, multi);
  const toggle = dialog.getByRole("checkbox", { name: "Play the next event when this one ends" });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  expect(await page.evaluate(() => localStorage.getItem("nightjar.events.autoNext"))).toBe("1");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(2);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.currentTime = v.duration - 0.5;
    void v.play();
  });
  // The next event of the list (the one recorded before: the short one, unless a burst was tried twice) opens and plays.
  const list = await finishedEvents(page.request);
  const next = list[list.findIndex((e) => e.id === multi.id) + 1];
  expect(next?.id).toBeTruthy();
  expect(list.map((e) => e.id)).toContain(short.id);
  await expect(dialog.getByTestId("event-video")).toHaveAttribute("src", new RegExp(`/api/events/${next.id}/`), { timeout: 15_000 });
  // Remembered in this browser: the next player starts with it on.
  await page.reload();
  const again = await openPlayer(page, multi);
  await expect(again.dialog.getByRole("checkbox", { name: "Play the next event when this one ends" })).toBeChecked();
  await again.dialog.getByRole("checkbox", { name: "Play the next event when this one ends" }).uncheck();
});

test("the joined video is served with ranges to those who see the camera; the download is one MP4 of the clips' length", async ({ page, browser }, testInfo) => {
  const whole = await page.request.get(`/api/events/${multi.id}/play`);
  expect(whole.status()).toBe(200);
  expect(whole.headers()["content-type"]).toBe("video/mp4");
  expect(whole.headers()["accept-ranges"]).toBe("bytes");
  const body = await whole.body();
  const part = await page.request.get(`/api/events/${multi.id}/play`, { headers: { range: "bytes=100-1099" } });
  expect(part.status()).toBe(206);
  expect(part.headers()["content-range"]).toBe(`bytes 100-1099/${body.length}`);
  expect(Buffer.compare(await part.body(), body.subarray(100, 1100))).toBe(0);

  // ffprobe: the download is one MP4 whose length is its clips' together, and the played file is the same join.
  const dir = testInfo.outputPath("playback");
  fs.mkdirSync(dir, { recursive: true });
  const seconds = (file: string) => Number(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" }).trim());
  const save = async (url: string, name: string) => {
    const res = await page.request.get(url);
    expect(res.status()).toBe(200);
    const file = path.join(dir, name);
    fs.writeFileSync(file, await res.body());
    return file;
  };
  const download = await save(`/api/events/${multi.id}/download`, "event.mp4");
  let sum = 0;
  for (const c of multi.clips) sum += seconds(await save(`/api/events/${multi.id}/clips/${c.sequence}?download=1`, `clip-${c.sequence}.mp4`));
  expect(Math.abs(seconds(download) - sum)).toBeLessThan(0.1);
  fs.writeFileSync(path.join(dir, "played.mp4"), body);
  expect(Math.abs(seconds(path.join(dir, "played.mp4")) - sum)).toBeLessThan(0.1);

  // A member without the camera: 403, as for its clips.
  const stranger = await createMember("member", "playbackstranger");
  const other = await signedInPage(browser, stranger.email, stranger.password);
  expect((await other.request.get(`/api/events/${multi.id}/play`)).status()).toBe(403);
  expect((await other.request.get(`/api/events/${multi.id}/playback`)).status()).toBe(403);
  expect((await other.request.get(`/api/events/${multi.id}/clips/1`)).status()).toBe(403);
  await other.context().close();
  expect((await page.request.get(`/api/events/no-such-event-00000000/play`)).status()).toBe(404);
});
