// Recording end to end: a motion burst on a simulated camera becomes an event with its photo and a playable clip.
import { expect, test } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { deleteCamerasNamed } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
// The later tests use the first one's camera: serial, so a failure skips them instead of failing them again.
test.describe.configure({ mode: "serial" });
// The camera this file adds goes with it (it would record through every later spec).
test.afterAll(() => deleteCamerasNamed(["Driveway"]));

test("a motion burst shows up as an event with its photo, and the clip plays", async ({ page, request }) => {
  test.setTimeout(90_000);
  const add = await page.request.post("/api/cameras", { data: { name: "Driveway", mainStreamUrl: SIM.rtsp(2), subStreamUrl: SIM.rtsp(2, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status()).toBe(201);
  const cameraId = ((await add.json()) as { camera: { id: string } }).camera.id;
  // The recorder picks the camera up within seconds; give the pre-roll time to fill.
  await expect.poll(async () => (await (await page.request.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
  await page.waitForTimeout(6000);

  // Other specs leave events on other cameras: this one looks at its own camera only.
  await page.goto(`/events?camera=${cameraId}`);
  await expect(page.getByText("No events match these filters.", { exact: true })).toBeVisible();
  expect((await request.post(`${SIM.controlUrl}/cameras/2/motion`, { data: { on: true } })).ok()).toBe(true);
  await page.waitForTimeout(4000);
  expect((await request.post(`${SIM.controlUrl}/cameras/2/motion`, { data: { on: false } })).ok()).toBe(true);

  // Quiet time and post-roll (5 s each), then the clip and photo are written.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("event-photo").count();
      },
      { timeout: 45_000, intervals: [2000] },
    )
    .toBe(1);
  const event = page.getByTestId("event").first();
  await expect(event).toContainText("Driveway");
  const photo = event.getByTestId("event-photo");
  await expect(photo).toHaveJSProperty("complete", true);
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);

  await event.getByRole("button").click();
  const video = page.getByRole("dialog").getByTestId("event-video").first();
  await expect(video).toBeVisible();
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(duration).toBeGreaterThan(12);
  expect(duration).toBeLessThan(20);
});

test("an admin sets sensitivity, a schedule and an area drawn on the camera's picture", async ({ page }) => {
  const cameras = (await (await page.request.get("/api/cameras")).json()).cameras as { id: string; name: string }[];
  const cam = cameras.find((c) => c.name === "Driveway")!;
  await page.goto(`/cameras/${cam.id}`);
  const motion = page.getByRole("region", { name: "Motion detection" });
  await motion.getByRole("slider", { name: "Sensitivity" }).fill("80");
  await motion.getByLabel("Longest clip (s)").fill("30");
  await motion.getByRole("button", { name: "Add a time" }).click();
  await motion.getByRole("button", { name: "Show the camera's picture" }).click();
  await expect(motion.getByRole("img", { name: "The camera's picture" })).toHaveJSProperty("complete", true, { timeout: 15_000 });
  const area = motion.getByRole("img", { name: "Drag to draw an area" });
  await area.scrollIntoViewIfNeeded(); // the mouse draws in viewport coordinates
  const box = (await area.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  await expect(motion.getByTestId("zone")).toHaveCount(1);
  await motion.getByLabel("Kind of area").selectOption("mask");
  await motion.getByRole("button", { name: "Save motion settings" }).click();
  await expect(motion.getByText("Motion settings saved. The recorder uses them within seconds.", { exact: true })).toBeVisible();

  const saved = await (await page.request.get(`/api/cameras/${cam.id}/motion`)).json();
  expect(saved.sensitivity).toBe(80);
  expect(saved.maxClipMs).toBe(30_000);
  expect(saved.schedule).toEqual([{ day: 1, from: "22:00", to: "06:00" }]);
  expect(saved.zones).toHaveLength(1);
  expect(saved.zones[0].kind).toBe("mask");
  const [[x0, y0], , [x1, y1]] = saved.zones[0].points;
  expect(x0).toBeCloseTo(0.1, 1);
  expect(y0).toBeCloseTo(0.1, 1);
  expect(x1).toBeCloseTo(0.6, 1);
  expect(y1).toBeCloseTo(0.5, 1);
  // Bad values are refused.
  const bad = await page.request.put(`/api/cameras/${cam.id}/motion`, { data: { ...saved, sensitivity: 500 } });
  expect(bad.status()).toBe(400);
});

test("Live plays each camera the member may see", async ({ page }) => {
  // Tiles play only while on screen: nine per screen on a tall window shows every camera of this run.
  await page.setViewportSize({ width: 1280, height: 1600 });
  await page.goto("/live");
  await page.getByRole("button", { name: "9 cameras per screen" }).click();
  const video = page.getByTestId("live-tile").filter({ hasText: "Driveway" }).getByTestId("live-video");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(640); // tiles play the sub stream
});
