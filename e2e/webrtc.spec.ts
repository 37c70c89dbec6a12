// Live over WebRTC in Chromium with simulated cameras: the large view and a grid play over WebRTC (frames advance, a
// sampled frame is not black, the player says "Live over WebRTC"), a camera with AAC sound and "record sound" on is
// heard over WebRTC (Opus: the Unmute button, and the sound through Web Audio is not silence), the player falls back to HLS when WebRTC is not
// there or ICE never connects, and the WHEP endpoint answers as RFC 9725 says (201, application/sdp, Location; DELETE)
// with the same access checks as the HLS routes (401, 403) and a reason for bad offers (400, 415).
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { E2E_BASE_URL, OWNER_STATE, SIM } from "./fixtures/env";
import { anonymousClient, bearerClient, createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

type Cam = { id: string; name: string };
const PLAN = [
  { name: "RTC porch", sim: 0 },
  { name: "RTC shed", sim: 1 },
  // H.264 with AAC sound: the simulator's camera 3 sub stream, added as a camera's main stream.
  { name: "RTC yard", sim: 3, main: "sub" as const, sound: true },
];
let api: APIRequestContext;
let cams: Cam[] = [];

test.beforeAll(async () => {
  api = await ownerApi();
  cams = [];
  for (const p of PLAN) {
    const res = await api.post("/api/cameras", { data: { name: p.name, mainStreamUrl: SIM.rtsp(p.sim, p.main ?? "main"), ...(p.main ? {} : { subStreamUrl: SIM.rtsp(p.sim, "sub") }), username: SIM.username, password: SIM.password } });
    expect(res.status()).toBe(201);
    const { camera } = await res.json();
    // Not recorded: recording.spec counts the events of the simulated cameras.
    expect((await api.patch(`/api/cameras/${camera.id}`, { data: { recordingEnabled: false, ...(p.sound ? { recordSound: true } : {}) } })).ok()).toBe(true);
    cams.push({ id: camera.id, name: p.name });
  }
});

test.afterAll(async () => {
  for (const c of cams) await api.delete(`/api/cameras/${c.id}?recordings=delete`);
  await api.dispose();
});

async function expectPlaying(video: Locator) {
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(1);
  const before = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5_000 }).toBeGreaterThan(before + 0.5);
}

/** Mean of R, G and B over a 64×36 copy of the frame on screen (0–255). */
function brightness(video: Locator): Promise<number> {
  return video.evaluate((v: HTMLVideoElement) => {
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
}

/** A minimal offer as Chromium makes it for a receive-only video transceiver (made by the page itself). */
async function chromiumOffer(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver("video", { direction: "recvonly" });
    const offer = await pc.createOffer();
    pc.close();
    return offer.sdp!;
  });
}

test("the large view plays over WebRTC: moving, not black, and it says so; its offer went out before the player started", async ({ page }) => {
  const porch = cams[0];
  const offers: string[] = [];
  page.on("request", (r) => r.method() === "POST" && r.url().endsWith("/whep") && offers.push(r.url()));
  await page.goto(`/live/${porch.id}`);
  const player = page.getByTestId("live-player");
  await expect(player).toHaveAttribute("data-transport", "webrtc", { timeout: 20_000 });
  await expect(page.getByTestId("live-transport")).toHaveText("Live over WebRTC");
  const video = page.getByTestId("live-video");
  await expectPlaying(video);
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(1920);
  expect(await brightness(video)).toBeGreaterThan(30);
  // No HLS was asked for.
  const hls = await page.evaluate(() => performance.getEntriesByType("resource").filter((r) => /\/index\.m3u8|\/info\.json/.test(r.name)).length);
  expect(hls).toBe(0);
  // The page's own script made and sent the offer while the app's scripts loaded; the player took that one over.
  expect(offers).toEqual([`${E2E_BASE_URL}/api/cameras/${porch.id}/live/main/whep`]);
  const marks = await page.evaluate(() => Object.fromEntries(["nightjar:whep-offer", "nightjar:player-start"].map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? null])));
  expect(marks["nightjar:whep-offer"]).not.toBeNull();
  expect(marks["nightjar:whep-offer"]!).toBeLessThan(marks["nightjar:player-start"]!);
  expect(await page.evaluate(() => "__nightjarEarlyWhep" in window)).toBe(false);
});

test("a camera with sound and \"record sound\" on is heard over WebRTC: Opus in the answer, an Unmute button, sound that is not silence", async ({ page }) => {
  const yard = cams[2];
  await page.goto(`/live/${yard.id}`);
  const player = page.getByTestId("live-player");
  await expect(player).toHaveAttribute("data-transport", "webrtc", { timeout: 20_000 });
  const video = page.getByTestId("live-video");
  await expectPlaying(video);
  expect(await video.evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getAudioTracks().map((t) => t.readyState))).toEqual(["live"]);
  // Starts muted (autoplay); the button unmutes.
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
  await page.getByTestId("live-sound").click();
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(false);
  // The simulator's sound (a sweep at 0.3 of full scale, a beep, noise), decoded by Chromium, measured through Web Audio.
  const peak = await video.evaluate(async (v: HTMLVideoElement) => {
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(v.srcObject as MediaStream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    let max = 0;
    for (let i = 0; i < 30 && max < 0.1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      analyser.getFloatTimeDomainData(buf);
      for (const x of buf) max = Math.max(max, Math.abs(x));
    }
    await ctx.close();
    return max;
  });
  expect(peak).toBeGreaterThan(0.1);
  // The answer carries Opus (AAC converted); a camera without sound answers no audio.
  const offer = await page.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const o = await pc.createOffer();
    pc.close();
    return o.sdp!;
  });
  for (const [cam, audio] of [[yard, /^m=audio [1-9]\d* \S+ 111\r?$/m], [cams[0], /^m=audio 0 /m]] as const) {
    const res = await page.request.post(`/api/cameras/${cam.id}/live/main/whep`, { headers: { "content-type": "application/sdp" }, data: offer });
    expect(res.status()).toBe(201);
    const answer = await res.text();
    expect(answer).toMatch(audio);
    if (audio.source.includes("111")) expect(answer).toMatch(/a=rtpmap:111 opus\/48000\/2/);
    expect((await page.request.delete(new URL(res.headers()["location"], E2E_BASE_URL).pathname)).status()).toBe(200);
  }
});

test("a grid plays every tile over WebRTC", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1200 });
  // Nine to a page (this context's own storage): the cameras other specs left sort before "RTC" and would push
  // "RTC shed" to page 2 of the default four.
  await page.addInitScript(() => localStorage.setItem("nightjar.live.layout", "9"));
  await page.goto("/live");
  await expect(page.getByRole("group", { name: "Cameras per screen" }).getByRole("button", { name: "9" })).toHaveAttribute("aria-pressed", "true");
  const tiles = page.getByTestId("live-tile").filter({ has: page.getByText(/^RTC (porch|shed)$/) });
  await expect(tiles).toHaveCount(2);
  for (const tile of await tiles.all()) {
    await expect(tile.getByTestId("live-player")).toHaveAttribute("data-transport", "webrtc", { timeout: 20_000 });
    await expectPlaying(tile.getByTestId("live-video"));
    expect(await brightness(tile.getByTestId("live-video"))).toBeGreaterThan(30);
  }
});

test("without WebRTC in the browser the player plays HLS and says so", async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as { RTCPeerConnection?: unknown }).RTCPeerConnection;
  });
  await page.goto(`/live/${cams[0].id}`);
  await expect(page.getByTestId("live-player")).toHaveAttribute("data-transport", "hls", { timeout: 20_000 });
  await expectPlaying(page.getByTestId("live-video"));
  await expect(page.getByTestId("live-transport")).toHaveText("Live over HLS");
});

test("when ICE never connects (no UDP path), the player falls back to HLS; when the network changes it tries WebRTC again and switches back", async ({ page }) => {
  // The answer's candidates point nowhere: as a network that drops UDP, no connectivity check ever succeeds — until
  // the page sets window.udpIsBack.
  await page.addInitScript(() => {
    const proto = RTCPeerConnection.prototype as unknown as { setRemoteDescription: (d: RTCSessionDescriptionInit) => Promise<void> };
    const set = proto.setRemoteDescription;
    proto.setRemoteDescription = function (this: RTCPeerConnection, desc: RTCSessionDescriptionInit) {
      if ((window as { udpIsBack?: boolean }).udpIsBack) return set.call(this, desc);
      return set.call(this, { type: desc.type, sdp: desc.sdp?.replace(/^a=candidate:.*\r\n/gm, "") });
    };
  });
  await page.goto(`/live/${cams[1].id}`);
  const player = page.getByTestId("live-player");
  await expect(player).toHaveAttribute("data-transport", "hls", { timeout: 20_000 });
  await expectPlaying(page.getByTestId("live-video"));
  // UDP comes back and the browser says it is online: the player tries WebRTC in the background and switches to it.
  await page.evaluate(() => {
    (window as { udpIsBack?: boolean }).udpIsBack = true;
    window.dispatchEvent(new Event("online"));
  });
  await expect(player).toHaveAttribute("data-transport", "webrtc", { timeout: 20_000 });
  await expect(page.getByTestId("live-transport")).toHaveText("Live over WebRTC");
  await expectPlaying(page.getByTestId("live-video"));
});

test("WHEP: 201 with the answer and its resource, DELETE ends it; sign-in and camera access are checked; bad offers get a reason", async ({ page, browser }) => {
  const porch = cams[0];
  await page.goto("/live");
  const url = `/api/cameras/${porch.id}/live/sub/whep`;
  const offer = await chromiumOffer(page);
  const headers = { "content-type": "application/sdp", origin: E2E_BASE_URL };
  // Signed in before the session is made: a session nobody connects to ends after CONNECT_TIMEOUT_MS (10 s), and a
  // sign-in on a busy machine can take most of that.
  const outsider = await createMember("member", "nortc");
  const theirs = await signedInPage(browser, outsider.email, outsider.password);
  const anonymous = await anonymousClient();
  const res = await api.post(url, { headers, data: offer });
  expect(res.status()).toBe(201);
  expect(res.headers()["content-type"]).toBe("application/sdp");
  const location = res.headers()["location"];
  expect(location).toMatch(new RegExp(`^${url}/[A-Za-z0-9_-]{22}$`));
  const answer = await res.text();
  expect(answer).toMatch(/^v=0\r\n/);
  expect(answer).toMatch(/a=candidate:.* typ host/);
  expect(answer).not.toMatch(/typ (srflx|relay)/);
  expect(answer).toMatch(/a=fmtp:\d+ .*packetization-mode=1/);

  expect((await theirs.request.post(url, { headers, data: offer })).status()).toBe(403);
  // Not theirs: 404, though the session still exists (the owner's DELETE below ends it).
  expect((await theirs.request.delete(location, { headers: { origin: E2E_BASE_URL } })).status()).toBe(404);
  expect((await anonymous.post(url, { headers, data: offer })).status()).toBe(401);
  expect((await api.delete(location, { headers: { origin: E2E_BASE_URL } })).status()).toBe(200);
  await theirs.context().close();
  await anonymous.dispose();

  expect((await api.delete(location, { headers: { origin: E2E_BASE_URL } })).status()).toBe(404);

  const noH264 = offer.replace(/H264/g, "XYZ1");
  const bad = await api.post(url, { headers, data: noH264 });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: "webrtc_offer_invalid", params: { reason: "no_h264" } });
  const huge = await api.post(url, { headers, data: offer + "a=x\r\n".repeat(10_000) });
  expect(huge.status()).toBe(400);
  expect((await huge.json()).error.params.reason).toBe("too_large");
  expect((await api.post(url, { headers: { ...headers, "content-type": "text/plain" }, data: offer })).status()).toBe(415);
  expect((await api.post(`/api/cameras/${porch.id}/live/third/whep`, { headers, data: offer })).status()).toBe(404);

  // Programs: the same under /api/v1 with a live:watch token (and not with another scope, nor on the app's route).
  const tokens: string[] = [];
  const tokenOf = async (scopes: string[]) => {
    const made = await api.post("/api/account/tokens", { data: { name: `whep-${scopes.join("+")}`, scopes } });
    expect(made.status(), await made.text()).toBe(201);
    const body = await made.json();
    tokens.push(body.item.id);
    return body.token as string;
  };
  const program = await bearerClient(await tokenOf(["live:watch"]));
  const v1 = `/api/v1/cameras/${porch.id}/live/sub/whep`;
  const viaToken = await program.post(v1, { headers: { "content-type": "application/sdp" }, data: offer });
  expect(viaToken.status(), await viaToken.text()).toBe(201);
  expect(viaToken.headers()["location"]).toMatch(new RegExp(`^${v1}/[A-Za-z0-9_-]{22}$`));
  expect(await viaToken.text()).toMatch(/a=candidate:.* typ host/);
  expect((await program.post(url, { headers: { "content-type": "application/sdp" }, data: offer })).status(), "the app's route takes no token").toBe(401);
  expect((await program.delete(viaToken.headers()["location"])).status()).toBe(200);
  expect((await program.delete(viaToken.headers()["location"])).status()).toBe(404);
  await program.dispose();
  const eventsOnly = await bearerClient(await tokenOf(["events:read"]));
  expect((await eventsOnly.post(v1, { headers: { "content-type": "application/sdp" }, data: offer })).status()).toBe(403);
  await eventsOnly.dispose();
  for (const id of tokens) expect((await api.delete(`/api/account/tokens/${id}`, { headers: { origin: E2E_BASE_URL } })).status()).toBe(200);
});
