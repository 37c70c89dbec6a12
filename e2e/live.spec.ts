// Live view end to end with simulated cameras: the large view plays the main stream (a moving, non-black picture,
// a latency readout, a snapshot), a grid of four plays their sub streams, per-camera access and sign-in guard the
// playlist and its segments, and an on-request stream stops LIVE_IDLE_SECONDS (4 s in e2e) after its viewer left.
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { E2E_DATA_DIR, OWNER_STATE, SIM } from "./fixtures/env";
import { anonymousClient, createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

type Cam = { id: string; name: string };
// Camera 2 is left unrecorded: recording.spec moves it and counts its events. "Live yard" reuses camera 0's stream.
const PLAN = [
  { name: "Live porch", sim: 0, recorded: true },
  { name: "Live shed", sim: 1, recorded: false },
  { name: "Live gate", sim: 2, recorded: false },
  { name: "Live yard", sim: 0, recorded: false },
];
let api: APIRequestContext;
let cams: Cam[] = [];
const cam = (name: string) => cams.find((c) => c.name === name)!;

test.beforeAll(async () => {
  api = await ownerApi();
  cams = [];
  for (const p of PLAN) {
    const res = await api.post("/api/cameras", { data: { name: p.name, mainStreamUrl: SIM.rtsp(p.sim), subStreamUrl: SIM.rtsp(p.sim, "sub"), username: SIM.username, password: SIM.password } });
    expect(res.status()).toBe(201);
    const { camera } = await res.json();
    if (!p.recorded) expect((await api.patch(`/api/cameras/${camera.id}`, { data: { recordingEnabled: false } })).ok()).toBe(true);
    cams.push({ id: camera.id, name: p.name });
  }
});

test.afterAll(async () => {
  for (const c of cams) await api.delete(`/api/cameras/${c.id}?recordings=delete`);
  await api.dispose();
});

/** The page plays HLS: WebRTC (tried first, e2e/webrtc.spec.ts) is taken away, as in a browser without it. */
async function withoutWebRtc(page: Page) {
  await page.addInitScript(() => {
    delete (window as { RTCPeerConnection?: unknown }).RTCPeerConnection;
  });
}

/** Resolves once the video's currentTime passed `seconds`, then checks it keeps advancing. */
async function expectPlaying(video: Locator, seconds = 1) {
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(seconds);
  const before = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5_000 }).toBeGreaterThan(before + 0.5);
}

test("the large view plays the main stream over HLS: moving, not black, with latency and a snapshot", async ({ page }) => {
  const porch = cam("Live porch");
  await withoutWebRtc(page);
  await page.goto(`/live/${porch.id}`);
  await expect(page.getByRole("heading", { name: "Live porch", level: 1 })).toBeVisible();
  const video = page.getByTestId("live-video");
  await expect(video).toHaveAttribute("aria-label", "Live video of Live porch");
  await expectPlaying(video);
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(1920);
  // The page head preloads the first playlist and the player takes that response over: one plain playlist request
  // (later ones are blocking reloads with _HLS_msn), and no page prefetches competing with it.
  const requests = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => new URL(r.name)));
  expect(requests.filter((u) => u.pathname.endsWith("/index.m3u8") && u.search === "")).toHaveLength(1);
  expect(requests.filter((u) => u.search.includes("_rsc"))).toHaveLength(0);
  // A frame drawn to a canvas: the simulator's picture, not a black box (mean of R, G, B over a 64×36 copy).
  const brightness = await video.evaluate((v: HTMLVideoElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext("2d")!;
    g.drawImage(v, 0, 0, 64, 36);
    const px = g.getImageData(0, 0, 64, 36).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += px[i] + px[i + 1] + px[i + 2];
    return sum / (px.length / 4) / 3;
  });
  expect(brightness).toBeGreaterThan(30);

  const latency = page.getByRole("status", { name: "Latency" });
  await expect(latency).toHaveText(/^\d+\.\d s$/);
  expect(Number(await latency.getAttribute("data-latency-ms"))).toBeLessThan(10_000);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Snapshot" }).click();
  expect((await download).suggestedFilename()).toMatch(/^Live porch \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.jpg$/);
  await expect(page.getByRole("link", { name: "All cameras" })).toHaveAttribute("href", "/live");
});

test("a grid of four cameras plays; the layout is remembered and pages through the cameras", async ({ browser }) => {
  const member = await createMember("member", "livegrid");
  for (const c of cams) expect((await api.put(`/api/cameras/${c.id}/access`, { data: { userIds: [member.id] } })).ok()).toBe(true);
  const theirs = await signedInPage(browser, member.email, member.password);
  // Tall enough that all four tiles are on screen (tiles play only while visible).
  await theirs.setViewportSize({ width: 1280, height: 1200 });
  await theirs.goto("/live");
  await expect(theirs.getByRole("button", { name: "4 cameras per screen" })).toHaveAttribute("aria-pressed", "true");
  const tiles = theirs.getByTestId("live-tile");
  await expect(tiles).toHaveCount(4);
  expect((await tiles.evaluateAll((els) => els.map((e) => e.getAttribute("data-camera-id")))).sort()).toEqual(cams.map((c) => c.id).sort());
  const times = () => theirs.getByTestId("live-video").evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime));
  await expect.poll(async () => Math.min(...(await times())), { timeout: 15_000 }).toBeGreaterThan(1);
  const before = await times();
  await expect.poll(async () => (await times()).every((t, i) => t > before[i] + 0.5), { timeout: 5_000 }).toBe(true);
  await expect(tiles.first().getByRole("link", { name: "Live gate" })).toHaveAttribute("href", `/live/${cam("Live gate").id}`);

  // One per screen: pages of one, remembered after a reload.
  await theirs.getByRole("button", { name: "1 camera per screen" }).click();
  await expect(tiles).toHaveCount(1);
  await expect(theirs.getByRole("navigation", { name: "Pages of cameras" })).toContainText("Page 1 of 4");
  await theirs.getByRole("button", { name: "Next cameras" }).click();
  await expect(theirs.getByRole("navigation", { name: "Pages of cameras" })).toContainText("Page 2 of 4");
  await expect(tiles).toHaveAttribute("data-camera-id", cam("Live porch").id);
  await theirs.reload();
  await expect(theirs.getByRole("button", { name: "1 camera per screen" })).toHaveAttribute("aria-pressed", "true");
  await expect(tiles).toHaveCount(1);
  await theirs.context().close();
});

test("the playlist and its segments need sign-in and access to the camera; other names are 404", async ({ browser }) => {
  const porch = cam("Live porch");
  const base = `/api/cameras/${porch.id}/live/main`;
  const playlist = await api.get(`${base}/index.m3u8`);
  expect(playlist.status()).toBe(200);
  expect(playlist.headers()["content-type"]).toBe("application/vnd.apple.mpegurl");
  expect(playlist.headers()["cache-control"]).toBe("no-store");
  const text = await playlist.text();
  expect(text).toContain("#EXT-X-PROGRAM-DATE-TIME:");
  expect(text).not.toContain("#EXT-X-ENDLIST");
  const uri = text.trim().split("\n").filter((l) => !l.startsWith("#")).pop()!;
  expect(uri).toMatch(/^\d+\/seg-\d+\.m4s$/);
  const segment = `${base}/${uri}`;
  const owned = await api.get(segment, { headers: { range: "bytes=0-99" } });
  expect(owned.status()).toBe(206);
  expect(owned.headers()["content-type"]).toBe("video/iso.segment");

  const outsider = await createMember("member", "nolive");
  const theirs = await signedInPage(browser, outsider.email, outsider.password);
  expect((await theirs.request.get(`${base}/index.m3u8`)).status()).toBe(403);
  expect((await theirs.request.get(segment)).status()).toBe(403);
  await theirs.context().close();

  const anonymous = await anonymousClient();
  expect((await anonymous.get(`${base}/index.m3u8`)).status()).toBe(401);
  expect((await anonymous.get(segment)).status()).toBe(401);
  await anonymous.dispose();

  for (const bad of [`/api/cameras/${porch.id}/live/third/index.m3u8`, `${base}/..%2F..%2Fnightjar.db`, `${base}/1/..%2Finit.mp4`, `${base}/1/index.m3u8`, `${base}/${uri}/x`, `/api/cameras/no-such-camera/live/main/index.m3u8`]) {
    expect((await api.get(bad)).status(), bad).toBe(404);
  }
});

test("an on-request stream (camera not recorded) stops LIVE_IDLE_SECONDS after its viewer left", async ({ context }) => {
  const shed = cam("Live shed");
  // The large view plays the main stream; the grid test's sub-stream sessions may still be winding down.
  const sessions = async () => ((await (await api.get("/api/live/sessions")).json()).sessions as { cameraId: string; stream: string }[]).filter((s) => s.cameraId === shed.id && s.stream === "main");
  const viewer = await context.newPage();
  await withoutWebRtc(viewer);
  await viewer.goto(`/live/${shed.id}`);
  await expectPlaying(viewer.getByTestId("live-video"));
  expect(await sessions()).toEqual([expect.objectContaining({ cameraId: shed.id, stream: "main" })]);
  await viewer.close();
  const leftAt = Date.now();
  await expect.poll(async () => (await sessions()).length, { timeout: 10_000, intervals: [250] }).toBe(0);
  // Not at once: it waited for the idle time (4 s after the last playlist request, at most ~1 s before the close).
  expect(Date.now() - leftAt).toBeGreaterThan(2_500);
});

test("deleting a camera stops its on-request ingest at once and removes its recorder's ring", async () => {
  const res = await api.post("/api/cameras", { data: { name: "Live doomed", mainStreamUrl: SIM.rtsp(2), subStreamUrl: SIM.rtsp(2, "sub"), username: SIM.username, password: SIM.password } });
  expect(res.status()).toBe(201);
  const { camera } = await res.json();
  const ring = path.join(E2E_DATA_DIR, "live", camera.id);
  const sessions = async () => ((await (await api.get("/api/live/sessions")).json()).sessions as { cameraId: string }[]).filter((s) => s.cameraId === camera.id);
  // The sub stream is served by an on-request ingest; the recorder keeps its ring of the main stream.
  await expect.poll(async () => (await api.get(`/api/cameras/${camera.id}/live/sub/index.m3u8`)).status(), { timeout: 20_000 }).toBe(200);
  expect((await sessions()).length).toBe(1);
  await expect.poll(() => fs.existsSync(ring), { timeout: 20_000 }).toBe(true);
  expect((await api.delete(`/api/cameras/${camera.id}?recordings=delete`)).status()).toBe(200);
  // At once: the very next request finds no ingest (the idle timeout would have taken LIVE_IDLE_SECONDS).
  expect(await sessions()).toEqual([]);
  // The recorder pool notices within its poll and removes the ring.
  await expect.poll(() => fs.existsSync(ring), { timeout: 15_000 }).toBe(false);
});
