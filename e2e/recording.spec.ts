// Recording end to end: a motion burst on a simulated camera becomes an event with its photo and a playable clip.
import { expect, test } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";

test.use({ storageState: OWNER_STATE });

test("a motion burst shows up as an event with its photo, and the clip plays", async ({ page, request }) => {
  test.setTimeout(90_000);
  const add = await page.request.post("/api/cameras", { data: { name: "Driveway", mainStreamUrl: SIM.rtsp(2), subStreamUrl: SIM.rtsp(2, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status()).toBe(201);
  // The recorder picks the camera up within seconds; give the pre-roll time to fill.
  await expect.poll(async () => (await (await page.request.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
  await page.waitForTimeout(6000);

  await page.goto("/events");
  await expect(page.getByText("No events recorded yet.", { exact: true })).toBeVisible();
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
