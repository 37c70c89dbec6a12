// H.265 cameras end to end in Debian's Chromium, which has no H.265 decoder: the simulator's H.265 camera (its main
// stream H.265, its sub stream H.264, AAC sound; SIM.hevcCamera in the fixtures) is watched live — the large view falls
// back to the sub stream and says so, its sound starts muted with an Unmute button, a camera with only the H.265 stream
// says it cannot be shown — and recorded: its event of two clips plays through the H.264 copies the server makes on
// request ("Preparing a playable copy…" while one is made), clip by clip while they are made (the next one asked for
// while one plays), then whole, the copies joined; the download link still gives the original H.265 file. The
// cameras and their events are removed at the end (the recording spec, which runs later, expects no events).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { ownerApi } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

const RECORDED = "Codec porch";
const MAIN_ONLY = "Codec gate";

type Summary = { id: string; cameraName: string; endedAt: string | null; clips: { sequence: number; videoCodec: string }[]; hasPhoto: boolean };

let api: APIRequestContext;
const ids: Record<string, string> = {};

/** Motion on or off in the simulated camera (its control API, outside the app). */
async function setMotion(on: boolean): Promise<void> {
  const res = await fetch(`${SIM.controlUrl}/cameras/${SIM.hevcCamera}/motion`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ on }) });
  expect(res.ok).toBe(true);
}

async function finishedEvents(): Promise<Summary[]> {
  const res = await api.get(`/api/events?camera=${ids[RECORDED]}&limit=50`);
  expect(res.status()).toBe(200);
  return ((await res.json()).events as Summary[]).filter((e) => e.endedAt && e.clips.length > 0 && e.hasPhoto);
}

/** The sample entries of an MP4's tracks (the four characters after each stsd's entry count). */
function sampleEntries(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let at = bytes.indexOf("stsd"); at !== -1; at = bytes.indexOf("stsd", at + 4)) out.push(bytes.subarray(at + 16, at + 20).toString("latin1"));
  return out;
}

test.beforeAll(async () => {
  api = await ownerApi();
  const add = async (name: string, data: Record<string, unknown>) => {
    const res = await api.post("/api/cameras", { data: { name, mainStreamUrl: SIM.rtsp(SIM.hevcCamera), username: SIM.username, password: SIM.password, ...data } });
    expect(res.status()).toBe(201);
    ids[name] = (await res.json()).camera.id;
  };
  await add(RECORDED, { subStreamUrl: SIM.rtsp(SIM.hevcCamera, "sub") });
  // Sound is off unless the household turns it on for the camera.
  expect((await api.patch(`/api/cameras/${ids[RECORDED]}`, { data: { recordSound: true } })).ok()).toBe(true);
  // The same camera without its sub stream, not recorded: only the H.265 stream to show.
  await add(MAIN_ONLY, { subStreamUrl: null });
  expect((await api.patch(`/api/cameras/${ids[MAIN_ONLY]}`, { data: { recordingEnabled: false } })).ok()).toBe(true);
});

test.afterAll(async () => {
  await setMotion(false);
  for (const id of Object.values(ids)) expect((await api.delete(`/api/cameras/${id}?recordings=delete`)).status()).toBe(200);
  await api.dispose();
});

test("the live view of an H.265 camera falls back to its H.264 sub stream and says so", async ({ page }) => {
  // What the server reports, read from the run's init segment: the exact strings the player asks the browser about.
  const info = async (stream: "main" | "sub") => {
    let res = await api.get(`/api/cameras/${ids[RECORDED]}/live/${stream}/info.json`);
    for (let i = 0; i < 10 && res.status() === 503; i++) res = await api.get(`/api/cameras/${ids[RECORDED]}/live/${stream}/info.json`);
    expect(res.status()).toBe(200);
    return res.json();
  };
  const main = await info("main");
  expect(main.video.codec).toMatch(/^hvc1\.1\.6\.L\d+\.[0-9A-F.]+$/);
  expect(main.mimeType).toBe(`video/mp4; codecs="${[main.video.codec, ...(main.audio ? [main.audio.codec] : [])].join(",")}"`);
  const sub = await info("sub");
  expect(sub.video.codec).toMatch(/^avc1\.[0-9A-F]{6}$/);
  expect([sub.video.width, sub.video.height]).toEqual([640, 360]);
  // This Chromium cannot decode that H.265 stream (else the test below would not test the fallback).
  await page.goto("/live");
  expect(await page.evaluate((mime) => MediaSource.isTypeSupported(mime), main.mimeType)).toBe(false);

  await page.goto(`/live/${ids[RECORDED]}`);
  const notice = page.getByTestId("live-codec-fallback");
  await expect(notice).toHaveText("This browser cannot play H.265: showing the camera's sub stream (640×360).", { timeout: 15_000 });
  await expect(notice).toHaveRole("note");
  const video = page.getByTestId("live-video");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(1);
  expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([640, 360]);
  await expect(page.getByTestId("live-player")).toHaveAttribute("data-state", "playing");

  // For Safari's own HLS: the main stream's init segment is served with the `hvc1` sample entry (ffmpeg writes hev1).
  const playlist = await (await api.get(`/api/cameras/${ids[RECORDED]}/live/main/index.m3u8`)).text();
  const initUri = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)?.[1];
  expect(initUri).toMatch(/^\d+\/init\.mp4$/);
  const init = Buffer.from(await (await api.get(`/api/cameras/${ids[RECORDED]}/live/main/${initUri}`)).body());
  expect(sampleEntries(init)[0]).toBe("hvc1");
});

test("live sound starts muted, with an Unmute button only where the stream has sound", async ({ page }) => {
  await page.goto(`/live/${ids[RECORDED]}`);
  const video = page.getByTestId("live-video");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
  const unmute = page.getByRole("button", { name: "Unmute" });
  await expect(unmute).toBeVisible();
  await unmute.click();
  await expect(page.getByRole("button", { name: "Mute" })).toBeVisible();
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(false);
  await page.getByRole("button", { name: "Mute" }).click();
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
  // The same camera's picture without "record sound": no sound track, no button.
  await page.goto(`/live/${ids[MAIN_ONLY]}`);
  await expect(page.getByTestId("live-player")).toHaveAttribute("data-state", "unsupported", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: /^(Unmute|Mute)$/ })).toHaveCount(0);
  expect((await (await api.get(`/api/cameras/${ids[MAIN_ONLY]}/live/main/info.json`)).json()).audio).toBeNull();
});

test("a camera with only an H.265 stream says so instead of a black box", async ({ page }) => {
  await page.goto(`/live/${ids[MAIN_ONLY]}`);
  const player = page.getByTestId("live-player");
  await expect(player).toHaveAttribute("data-state", "unsupported", { timeout: 15_000 });
  await expect(player.getByRole("status")).toHaveText(/^This browser cannot play H\.265 video, and this camera has no H\.264 stream to show instead\./);
  await expect(page.getByTestId("live-codec-fallback")).toHaveCount(0);
  // The grid tile (its "sub stream" is the main one here) says the same.
  await page.goto("/live");
  await page.getByRole("button", { name: "9 cameras per screen" }).click();
  const tile = page.getByTestId("live-tile").filter({ hasText: MAIN_ONLY });
  await expect(tile.getByTestId("live-player")).toHaveAttribute("data-state", "unsupported", { timeout: 15_000 });
});

test("an H.265 event plays through H.264 copies: clip by clip while they are made, then whole; the download is the original H.265 file", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  // Short events of two clips: 1 s quiet time, 2 s pre- and post-roll, clips of at most 5 s (the recorder restarts the
  // camera with these within 2 s).
  expect((await api.put(`/api/cameras/${ids[RECORDED]}/motion`, { data: { minMotionMs: 300, quietMs: 1000, preRollMs: 2000, postRollMs: 2000, maxClipMs: 5_000 } })).status()).toBe(200);
  await expect.poll(async () => (await (await api.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
  await page.waitForTimeout(8000); // the recorder picks up the settings and fills its pre-roll
  // An event of at least two clips (motion of 6 s with 2 s before and after: about 10 s, clips of at most 5 s).
  const twoClips = async () => (await finishedEvents()).find((e) => e.clips.length >= 2);
  for (let attempt = 0; !(await twoClips()) && attempt < 3; attempt++) {
    await setMotion(true);
    await page.waitForTimeout(6000);
    await setMotion(false);
    await expect.poll(async () => !!(await twoClips()), { timeout: 30_000, intervals: [1000] }).toBe(true).catch(() => undefined);
  }
  const event = await twoClips();
  expect(event, "an event of the H.265 camera of two clips or more").toBeTruthy();
  if (!event) return;
  expect(event.clips.map((c) => c.videoCodec)).toEqual(event.clips.map(() => "hevc"));
  const [first, second, ...rest] = event.clips.map((c) => c.sequence);
  const copyState = async (sequence: number) => (await (await api.get(`/api/events/${event.id}/clips/${sequence}/playback`)).json()).copy.state as string;
  expect(await copyState(second), "nothing asked for the second clip's copy yet").toBe("none");
  const firstCopy = `/api/events/${event.id}/clips/${first}/h264`;
  const secondAsked = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/api/events/${event.id}/clips/${second}/h264`), { timeout: 180_000 }).catch(() => null);

  await page.goto(`/events?camera=${ids[RECORDED]}`);
  await page.locator(`[data-testid=event][data-event-id="${event.id}"]`).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${RECORDED} · `) });
  // The copy is made on request, with the cost said plainly, then played.
  await expect(dialog.getByTestId("clip-copy").getByRole("status")).toHaveText("Preparing a playable copy… (H.265 → H.264, uses the server's CPU)", { timeout: 15_000 });
  await expect(dialog.getByRole("progressbar", { name: "Progress of the playable copy" })).toBeVisible();
  const video = dialog.getByTestId("event-video");
  await expect(video).toHaveAttribute("data-source", "copy", { timeout: 120_000 });
  await expect(video).toHaveAttribute("src", firstCopy);
  await expect(dialog.getByTestId("clip-copy-note")).toHaveText("This browser cannot play H.265: playing an H.264 copy made by the server. Downloads give the original clip.");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
  // Held there (about 4 s before its end): the first clip cannot end, so the player stays on it from here on.
  await video.evaluate((v: HTMLVideoElement) => v.pause());
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  // The copy is H.264; asking for it again is served from the file (the copy route answers ready at once).
  const again = await page.request.post(firstCopy);
  expect(await again.json()).toEqual(expect.objectContaining({ state: "ready" }));
  // While the first clip's copy plays, the player asks for the next clip's: made without anyone playing that clip.
  expect(await secondAsked, "the player asked for the next clip's copy").not.toBeNull();
  await expect(video).toHaveAttribute("src", firstCopy);
  await expect.poll(() => copyState(second), { timeout: 120_000, intervals: [1000] }).toBe("ready");
  for (const n of rest) expect((await page.request.post(`/api/events/${event.id}/clips/${n}/h264`)).ok()).toBe(true);
  for (const n of rest) await expect.poll(() => copyState(n), { timeout: 120_000, intervals: [1000] }).toBe("ready");

  // Every copy made: the event opens whole, the copies joined, and plays across the clip boundary.
  const plan = await (await api.get(`/api/events/${event.id}/playback`)).json();
  expect(plan).toEqual(expect.objectContaining({ mode: "whole", copiesReady: true }));
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await expect(dialog).toBeHidden();
  await page.locator(`[data-testid=event][data-event-id="${event.id}"]`).getByRole("button").click();
  const whole = dialog.getByTestId("event-video");
  await expect(whole).toHaveAttribute("data-source", "whole-copy", { timeout: 30_000 });
  await expect(whole).toHaveAttribute("src", `/api/events/${event.id}/play?copy=h264`);
  await expect(dialog.getByTestId("clip-copy-note")).toHaveText("This browser cannot play H.265: playing the H.264 copies made by the server, joined. Downloads give the original clips.");
  const boundaryS = (await (await api.get(`/api/events/${event.id}/playback`)).json()).clips[1].startMs / 1000;
  await expect.poll(() => whole.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await whole.evaluate((v: HTMLVideoElement, at: number) => {
    v.muted = true;
    v.currentTime = Math.max(0, at - 0.5);
    return v.play();
  }, boundaryS);
  await expect.poll(() => whole.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(boundaryS + 0.5);
  const joined = testInfo.outputPath("joined-copies.mp4");
  fs.writeFileSync(joined, Buffer.from(await (await page.request.get(`/api/events/${event.id}/play?copy=h264`)).body()));
  const joinedProbe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name:format=duration", "-of", "json", joined], { encoding: "utf8" }));
  expect(joinedProbe.streams.map((s: { codec_type: string; codec_name: string }) => `${s.codec_type}:${s.codec_name}`)).toEqual(["video:h264", "audio:aac"]);
  const clipsMs = (await (await api.get(`/api/events/${event.id}/playback`)).json()).clips.reduce((n: number, c: { durationMs: number }) => n + c.durationMs, 0);
  expect(Math.abs(Number(joinedProbe.format.duration) * 1000 - clipsMs), "the join is as long as the clips").toBeLessThan(200);
  expect((await page.request.get(`/api/events/${event.id}/play?copy=h265`)).status()).toBe(400);

  // The download link gives the original file: H.265 with the hvc1 sample entry.
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: `Download clip ${first} (MP4)` }).click()]);
  const file = testInfo.outputPath(download.suggestedFilename());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  expect(sampleEntries(bytes)[0]).toBe("hvc1");
  const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "json", file], { encoding: "utf8" }));
  expect(probe.streams.map((s: { codec_name: string }) => s.codec_name)).toEqual(["hevc"]);
  // The copy: H.264, with the clip's sound copied.
  const copy = Buffer.from(await (await page.request.get(firstCopy)).body());
  expect(sampleEntries(copy)).toEqual(["avc1", "mp4a"]);
  expect(sampleEntries(bytes)).toEqual(["hvc1", "mp4a"]);
});
