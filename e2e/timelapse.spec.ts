// Timelapse end to end: an admin turns a camera's timelapse on in its page; a simulated day of frames (yesterday in
// the server's zone, one every 10 min: 144 frames) is kept through the recorder's capture path with a fake clock
// (scripts/timelapse-sim-day.ts, real keyframes from the simulated camera's RTSP stream); the scheduler's runner closes
// the day and encodes it; the Timelapse page plays and downloads it. A range of the same day is asked for through the
// form and becomes ready too. A viewer without access to the camera sees none of it. Never asserts wall-clock time.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { addDays, dayRange, serverTimeZone, todayIn, toLocalDateTime } from "../lib/time";
import { E2E_DATA_DIR, OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, ownerApi, signedInPage } from "./fixtures/helpers";

const run = promisify(execFile);

test.use({ storageState: OWNER_STATE });

/** Camera 0 sends H.264 without sound; other specs add it too but none moves it or depends on its events. */
const SIM_CAMERA = 0;
const CAMERA = "Timelapse garden";
const INTERVAL_S = 600;
/** A day at one frame every 10 min (144; 138 or 150 on a day the clocks change), and its video at 30 frames a second. */
const framesOf = (day: string, zone: string) => {
  const { from, to } = dayRange(day, zone);
  return Math.ceil((to.getTime() - from.getTime()) / (INTERVAL_S * 1000));
};

let cameraId = "";

test.afterAll(async () => {
  if (!cameraId) return;
  const api = await ownerApi();
  expect((await api.delete(`/api/cameras/${cameraId}?recordings=delete`)).status()).toBe(200);
  await api.dispose();
});

/** The list item of a timelapse of this spec's camera: a day (by its date) or a range. */
function item(page: Page, which: { day: string } | { range: true }) {
  const base = page.getByRole("listitem").and(page.getByTestId("timelapse")).filter({ hasText: CAMERA });
  return "day" in which ? base.and(page.locator(`[data-day="${which.day}"]`)) : base.and(page.locator(`[data-kind="range"]`));
}

/** Reloads the Timelapse page until the item is ready (the runner closes a finished day and encodes it within seconds). */
async function waitUntilReady(page: Page, which: { day: string } | { range: true }) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await item(page, which).getAttribute("data-status", { timeout: 2_000 }).catch(() => null)) ?? "missing";
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe("ready");
}

/**
 * Opens the player of an item and checks the video plays: a picture, the expected length, and time advancing from the
 * start (a 1.2 s video may have played to its end by the time it is looked at: it is paused and rewound first).
 */
async function playAndCheck(page: Page, which: { day: string } | { range: true }, seconds: number) {
  await item(page, which).getByRole("button", { name: "Play", exact: true }).click();
  const video = page.getByRole("dialog").getByTestId("timelapse-video");
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 10_000 }).toBeGreaterThan(0);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(duration).toBeGreaterThan(seconds - 0.2);
  expect(duration).toBeLessThan(seconds + 0.2);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.pause();
    v.currentTime = 0;
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBe(0);
  await video.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByRole("dialog").getByRole("button", { name: "Close", exact: true }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

test("a timelapse of a simulated day (with a fake clock) plays", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const add = await page.request.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status()).toBe(201);
  cameraId = (await add.json()).camera.id;

  // The admin turns the timelapse on in the camera's page, one frame every 10 minutes.
  await page.goto(`/cameras/${cameraId}`);
  const section = page.getByRole("region", { name: "Timelapse", exact: true });
  await expect(section.getByTestId("timelapse-note")).toHaveText("Frames are taken only while the camera records (not in privacy mode), and are kept as long as its recordings: 30 days.");
  const toggle = section.getByRole("switch", { name: "Keep a timelapse" });
  await expect(toggle).not.toBeChecked(); // off by default
  await toggle.check();
  await section.getByLabel("One frame every").selectOption({ label: "10 min" });
  await expect(section.getByText("144 frames a day: a day plays in 4.8 s.", { exact: true })).toBeVisible();
  await section.getByRole("button", { name: "Save timelapse settings" }).click();
  await expect(section.getByText("Timelapse settings saved.", { exact: true })).toBeVisible();
  expect(await (await page.request.get(`/api/cameras/${cameraId}/timelapse`)).json()).toEqual({ enabled: true, intervalSeconds: INTERVAL_S });

  // Yesterday (the server's zone), simulated: real keyframes of the camera's stream, capture times made up.
  const zone = serverTimeZone();
  const yesterday = addDays(todayIn(zone), -1);
  const dayFrames = framesOf(yesterday, zone);
  const rtsp = new URL(SIM.rtsp(SIM_CAMERA));
  rtsp.username = SIM.username;
  rtsp.password = SIM.password;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/timelapse-sim-day.ts", "--camera", cameraId, "--day", yesterday, "--interval", String(INTERVAL_S), "--rtsp", rtsp.href], {
    env: { ...process.env, DATA_DIR: E2E_DATA_DIR },
    timeout: 120_000,
  });
  expect(JSON.parse(stdout.trim().split("\n").pop()!)).toMatchObject({ day: yesterday, kept: dayFrames });

  // The Timelapse page, from the main navigation: the day becomes ready and plays.
  await page.goto("/live");
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Timelapse", exact: true }).click();
  await expect(page).toHaveURL(/\/timelapse$/);
  await expect(page.getByRole("heading", { level: 1, name: "Timelapse" })).toBeVisible();
  await page.getByLabel("Camera", { exact: true }).first().selectOption({ label: CAMERA });
  await expect(page).toHaveURL(new RegExp(`/timelapse\\?camera=${cameraId}$`));
  await waitUntilReady(page, { day: yesterday });
  const day = item(page, { day: yesterday });
  await expect(day.getByTestId("timelapse-status")).toContainText(`${dayFrames} frames`);
  await expect(day).toContainText("Whole day");
  await playAndCheck(page, { day: yesterday }, dayFrames / 30);

  // Download: the MP4 as an attachment named after the camera and the day.
  const href = await day.getByRole("link", { name: "Download", exact: true }).getAttribute("href");
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("video/mp4");
  expect(download.headers()["content-disposition"]).toBe(`attachment; filename="${CAMERA} timelapse ${yesterday}.mp4"`);
  const id = new URL(href!, "http://x").pathname.split("/")[3];

  // A range of the same day through the form: 06:00–12:00 of yesterday (server's zone), typed in my own zone.
  const myZone = (await (await page.request.get("/api/events/timeline")).json()).timeZone as string;
  const start = dayRange(yesterday, zone).from.getTime();
  const form = page.getByRole("region", { name: "Make a timelapse" });
  await form.getByLabel("Camera", { exact: true }).selectOption({ label: CAMERA });
  // The end before the start is refused in the form, before anything is asked.
  await form.getByLabel("From", { exact: true }).fill(toLocalDateTime(start + 12 * 3_600_000, myZone));
  await form.getByLabel("To", { exact: true }).fill(toLocalDateTime(start + 6 * 3_600_000, myZone));
  await form.getByRole("button", { name: "Make timelapse" }).click();
  await expect(form.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("From", { exact: true }).fill(toLocalDateTime(start + 6 * 3_600_000, myZone));
  await form.getByLabel("To", { exact: true }).fill(toLocalDateTime(start + 12 * 3_600_000, myZone));
  await form.getByRole("button", { name: "Make timelapse" }).click();
  await expect(form.getByText("Asked for. It appears in the list and is ready in a moment.", { exact: true })).toBeVisible();
  await waitUntilReady(page, { range: true });
  const range = item(page, { range: true });
  await expect(range).toContainText("Time range");
  await expect(range.getByTestId("timelapse-status")).toContainText("36 frames");
  await playAndCheck(page, { range: true }, 36 / 30);

  // A viewer without access to the camera: not in their list, and the API answers as if it did not exist.
  const viewer = await createMember("viewer", "timelapseviewer");
  const theirs = await signedInPage(browser, viewer.email, viewer.password);
  await theirs.goto("/timelapse");
  await expect(theirs.getByRole("heading", { level: 1, name: "Timelapse" })).toBeVisible();
  await expect(theirs.getByTestId("timelapse").filter({ hasText: CAMERA })).toHaveCount(0);
  await expect(theirs.getByRole("region", { name: "Make a timelapse" })).toHaveCount(0);
  expect((await theirs.request.get(`/api/timelapses/${id}`)).status()).toBe(404);
  expect((await theirs.request.get(`/api/timelapses/${id}/video`)).status()).toBe(404);
  expect(((await (await theirs.request.get("/api/timelapses")).json()).timelapses as { cameraId: string }[]).filter((x) => x.cameraId === cameraId)).toEqual([]);
  await theirs.context().close();

  // Deleting the range (admins and members), after a confirmation.
  await range.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText("Timelapse deleted.", { exact: true })).toBeVisible();
  await expect(item(page, { range: true })).toHaveCount(0);
});
