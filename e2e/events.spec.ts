// Events end to end with real recordings: a simulated camera makes a few short events once (beforeAll); the specs
// browse and filter them, play and download a clip, protect, delete one, delete several, delete a time range, and
// check that a viewer can do none of that. The camera and its events are removed at the end (the recording spec,
// which runs later, expects no events and uses the same simulated camera).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

const SIM_CAMERA = 2;
const CAMERA = "Porch";
/** Events the spec needs: A (delete one), B (protect), C and D (bulk delete); B goes with the time range. */
const EVENT_COUNT = 4;

type Summary = { id: string; cameraId: string | null; cameraName: string; startedAt: string; endedAt: string | null; isProtected: boolean; clips: { sequence: number }[]; hasPhoto: boolean };

let cameraId = "";
/** Newest first. */
let made: Summary[] = [];
let timeZone = "UTC";

async function cameraEvents(api: APIRequestContext): Promise<Summary[]> {
  const res = await api.get(`/api/events?camera=${cameraId}&limit=200`);
  expect(res.status()).toBe(200);
  return (await res.json()).events as Summary[];
}
const finished = (list: Summary[]) => list.filter((e) => e.endedAt && e.clips.length > 0 && e.hasPhoto);

/** "h:mm:ss" of an instant in the viewer's zone, as the English UI shows it (12-hour clock). */
function clockText(iso: string): string {
  const text = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", second: "2-digit", hour12: true }).format(new Date(iso));
  return /\d{1,2}:\d{2}:\d{2}/.exec(text)![0];
}
/** The calendar day of an instant in the viewer's zone. */
const dayIn = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));

/** Motion on or off in the simulated camera (its control API, outside the app). */
async function setMotion(on: boolean): Promise<void> {
  const res = await fetch(`${SIM.controlUrl}/cameras/${SIM_CAMERA}/motion`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ on }) });
  expect(res.ok).toBe(true);
}

function card(page: Page, e: Summary) {
  return page.locator(`[data-testid=event][data-event-id="${e.id}"]`);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const api = await ownerApi();
  try {
    const add = await api.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
    expect(add.status()).toBe(201);
    cameraId = (await add.json()).camera.id;
    // Short events: 1 s quiet time, 1 s pre- and post-roll (the recorder restarts the camera with these within 2 s).
    const motion = await api.put(`/api/cameras/${cameraId}/motion`, { data: { minMotionMs: 300, quietMs: 1000, preRollMs: 1000, postRollMs: 1000, maxClipMs: 20_000 } });
    expect(motion.status()).toBe(200);
    await expect.poll(async () => (await (await api.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 8000)); // the recorder picks up the settings and fills its pre-roll

    for (let attempt = 0; finished(await cameraEvents(api)).length < EVENT_COUNT && attempt < EVENT_COUNT + 3; attempt++) {
      const before = finished(await cameraEvents(api)).length;
      await setMotion(true);
      await new Promise((r) => setTimeout(r, 3000));
      await setMotion(false);
      // Quiet time + post-roll, then the clip and the photo are written. A burst the recorder missed (still
      // starting) is simply tried again by the loop.
      const deadline = Date.now() + 25_000;
      while (Date.now() < deadline && finished(await cameraEvents(api)).length <= before) await new Promise((r) => setTimeout(r, 1000));
    }
    // Every event of the camera is finished (none still recording), so counts below are exact.
    await expect.poll(async () => { const all = await cameraEvents(api); return all.length === finished(all).length; }, { timeout: 25_000 }).toBe(true);
    made = await cameraEvents(api);
    expect(made.length).toBeGreaterThanOrEqual(EVENT_COUNT);
    timeZone = (await (await api.get("/api/events/timeline")).json()).timeZone;
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

test("the list shows photo, camera, time and length newest first; the timeline has a marker per event", async ({ page }) => {
  await page.goto("/events");
  const cards = page.getByTestId("event").filter({ hasText: CAMERA });
  await expect(cards).toHaveCount(made.length);
  const first = card(page, made[0]);
  await expect(cards.first()).toHaveAttribute("data-event-id", made[0].id);
  const photo = first.getByTestId("event-photo");
  await expect(photo).toHaveJSProperty("complete", true);
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320); // the thumbnail
  await expect(first).toContainText(/\d+ seconds?/);
  // The time is in the member's zone.
  await expect(first.getByRole("button")).toHaveAccessibleName(new RegExp(`^Photo of the event on ${CAMERA} at .*${clockText(made[0].startedAt)}`));

  // The timeline of the newest event's day: one lane for the camera, one marker per event that day.
  const day = dayIn(made[0].startedAt);
  await page.goto(`/events?day=${day}`);
  const timeline = page.getByRole("region", { name: "Timeline" });
  const lane = timeline.getByRole("list", { name: CAMERA });
  const markers = lane.getByRole("button", { name: new RegExp(`^${CAMERA} at `) });
  await expect(markers).toHaveCount(made.filter((e) => dayIn(e.startedAt) === day).length);
  await expect(lane.getByRole("button", { name: `${CAMERA} at ${clockText(made[0].startedAt)}`, exact: false })).toHaveCount(1);
  // The previous day (kept in the address bar), then back.
  const previous = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await timeline.getByRole("button", { name: "Previous day" }).click();
  await expect(timeline.getByLabel("Day", { exact: true })).toHaveValue(previous);
  await expect(page).toHaveURL(new RegExp(`day=${previous}`));
  await expect(markers).toHaveCount(made.filter((e) => dayIn(e.startedAt) === previous).length);
  await timeline.getByRole("button", { name: "Next day" }).click();
  await expect(timeline.getByLabel("Day", { exact: true })).toHaveValue(day);
  await expect(markers).toHaveCount(made.filter((e) => dayIn(e.startedAt) === day).length);
  // A marker opens the event.
  await lane.getByRole("button", { name: new RegExp(`^${CAMERA} at .*${clockText(made[0].startedAt)}`) }).click();
  await expect(page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("filters live in the URL and survive a reload; bad dates get a clear message", async ({ page }) => {
  await page.goto("/events");
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByRole("checkbox", { name: CAMERA, exact: true }).check();
  await filters.getByLabel("Protection").selectOption({ label: "Unprotected only" });
  await filters.getByRole("button", { name: "Show events" }).click();
  await expect(page).toHaveURL(new RegExp(`camera=${cameraId}`));
  await expect(page).toHaveURL(/protected=no/);
  await expect(page.getByTestId("event")).toHaveCount(made.length);
  await page.reload();
  await expect(page.getByRole("form", { name: "Filters" }).getByRole("checkbox", { name: CAMERA, exact: true })).toBeChecked();
  await expect(page.getByRole("form", { name: "Filters" }).getByLabel("Protection")).toHaveValue("no");
  await expect(page.getByTestId("event")).toHaveCount(made.length);

  // A range in the future: nothing matches.
  const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/events?camera=${cameraId}&from=${future}`);
  await expect(page.getByText("No events match these filters.", { exact: true })).toBeVisible();
  // Reversed and invalid ranges: a message, and the list without the date filter.
  await page.goto(`/events?camera=${cameraId}&from=2026-11-22&to=2026-11-01`);
  await expect(page.getByRole("form", { name: "Filters" }).getByTestId("form-error")).toHaveText("The end of the time range must come after its start.");
  await expect(page.getByTestId("event")).toHaveCount(made.length);
  await page.goto(`/events?from=2026-02-30`);
  await expect(page.getByRole("form", { name: "Filters" }).getByTestId("form-error")).toHaveText("Enter a valid date.");
  // The API says the same in its own terms.
  const reversed = await page.request.get(`/api/events?from=2026-11-22&to=2026-11-01`);
  expect(reversed.status()).toBe(400);
  expect((await reversed.json()).error.code).toBe("invalid_date_range");
  expect((await page.request.get(`/api/events?from=2026-02-30`)).status()).toBe(400);
  expect((await page.request.get(`/api/events?camera=${cameraId}&limit=2`)).ok()).toBe(true);
  expect((await page.request.get(`/api/events/no-such-event-00000000`)).status()).toBe(404);
});

test("a click plays the clip at once, seekable", async ({ page }) => {
  await page.goto(`/events?camera=${cameraId}`);
  await card(page, made[1]).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  const video = dialog.getByTestId("event-video");
  await expect(video).toBeVisible();
  // Nobody pressed play: it plays by itself.
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(duration).toBeGreaterThan(2);
  // Seek back to the start and forward again: the clip route answers range requests.
  await video.evaluate((v: HTMLVideoElement) => {
    v.pause();
    v.currentTime = 0.2;
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.seeking || v.currentTime > 0.5)).toBe(false);
  await video.evaluate((v: HTMLVideoElement) => {
    v.currentTime = Math.max(0.5, v.duration - 0.5);
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => !v.seeking && v.currentTime > v.duration - 1)).toBe(true);
  const part = await page.request.get(`/api/events/${made[1].id}/clips/1`, { headers: { range: "bytes=0-99" } });
  expect(part.status()).toBe(206);
  expect(part.headers()["content-range"]).toMatch(/^bytes 0-99\/\d+$/);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a clip downloads as an H.264 MP4 named after the camera and the time", async ({ page }, testInfo) => {
  await page.goto(`/events?camera=${cameraId}`);
  await card(page, made[1]).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Download clip 1 (MP4)" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${CAMERA} \\d{4}-\\d{2}-\\d{2} \\d{2}-\\d{2}-\\d{2}\\.mp4$`));
  const file = testInfo.outputPath(download.suggestedFilename());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await download.saveAs(file);
  const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name:format=format_name,duration", "-of", "json", file], { encoding: "utf8" }));
  expect(probe.format.format_name).toContain("mp4");
  expect(Number(probe.format.duration)).toBeGreaterThan(1);
  expect(probe.streams.filter((s: { codec_type: string }) => s.codec_type === "video").map((s: { codec_name: string }) => s.codec_name)).toEqual(["h264"]);
  // The header itself: the ASCII name, in the viewer's time zone.
  const res = await page.request.get(`/api/events/${made[1].id}/clips/1?download=1`);
  expect(res.headers()["content-disposition"]).toBe(`attachment; filename="${download.suggestedFilename()}"`);
  expect(download.suggestedFilename()).toContain(dayIn(made[1].startedAt));
});

test("a viewer watches and downloads but cannot protect or delete: no controls, and the API refuses", async ({ browser, page }) => {
  const viewer = await createMember("viewer", "eventviewer");
  expect((await page.request.put(`/api/cameras/${cameraId}/access`, { data: { userIds: [viewer.id] } })).ok()).toBe(true);
  const theirs = await signedInPage(browser, viewer.email, viewer.password);
  await theirs.goto("/events");
  await expect(theirs.getByTestId("event")).toHaveCount(made.length);
  await expect(theirs.getByRole("checkbox", { name: /^Select / })).toHaveCount(0);
  await expect(theirs.getByRole("button", { name: "Delete selected" })).toHaveCount(0);
  await theirs.goto(`/cameras/${cameraId}`);
  await expect(theirs.getByRole("heading", { name: CAMERA, level: 1 })).toBeVisible();
  await expect(theirs.getByRole("button", { name: "Delete recordings in a time range…" })).toHaveCount(0);
  await theirs.goto("/events");
  await card(theirs, made[0]).getByRole("button").click();
  const dialog = theirs.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  await expect(dialog.getByRole("link", { name: "Download clip 1 (MP4)" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Delete event" })).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Protect from expiry" })).toHaveCount(0);

  const id = made[0].id;
  expect((await theirs.request.delete(`/api/events/${id}`)).status()).toBe(403);
  expect((await theirs.request.patch(`/api/events/${id}`, { data: { isProtected: true } })).status()).toBe(403);
  expect((await theirs.request.post(`/api/events/delete`, { data: { ids: [id] } })).status()).toBe(403);
  expect((await theirs.request.post(`/api/cameras/${cameraId}/events/delete-range`, { data: { from: "2020-01-01", to: "2030-01-01" } })).status()).toBe(403);
  expect((await theirs.request.get(`/api/cameras/${cameraId}/events/delete-range?from=2020-01-01&to=2030-01-01`)).status()).toBe(403);
  expect((await theirs.request.get(`/api/events/${id}/clips/1?download=1`)).status()).toBe(200);
  await theirs.context().close();

  // A member without access to the camera gets 403 for its events and media.
  const stranger = await createMember("member", "eventstranger");
  const other = await signedInPage(browser, stranger.email, stranger.password);
  expect((await other.request.get(`/api/events/${id}`)).status()).toBe(403);
  expect((await other.request.get(`/api/events/${id}/clips/1`)).status()).toBe(403);
  expect((await other.request.get(`/api/events/${id}/photo?size=thumb`)).status()).toBe(403);
  expect((await other.request.delete(`/api/events/${id}`)).status()).toBe(403);
  expect((await other.request.get(`/api/events?camera=${cameraId}`)).status()).toBe(403);
  await other.goto("/events");
  await expect(other.getByTestId("event")).toHaveCount(0);
  await other.context().close();
});

test("review queue: my own — marked reviewed leaves my queue, not another member's; keys; everything up to now", async ({ page, browser }) => {
  await page.goto(`/events?camera=${cameraId}`);
  const tabs = page.getByRole("navigation", { name: "Show" });
  await expect(tabs.getByRole("link", { name: /^To review/ })).toHaveAttribute("aria-current", "page");
  for (const e of made) await expect(card(page, e)).toHaveAttribute("data-reviewed", "no");
  // The count in the navigation and on the tab (the whole queue: other specs' cameras may add events meanwhile).
  const navCount = async () => Number(await page.getByRole("navigation", { name: "Main navigation" }).getByTestId("nav-count").getAttribute("data-count"));
  expect(await navCount()).toBeGreaterThanOrEqual(made.length);
  await expect(tabs.getByTestId("to-review-count")).toHaveText(String(await navCount()).replace(/^(\d{3,})$/, "99+"));

  // In the player: mark reviewed. It leaves my queue (the list) and the player says so.
  await card(page, made[0]).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  await dialog.getByRole("button", { name: "Mark reviewed", exact: true }).click();
  await expect(card(page, made[0])).toHaveCount(0);
  await expect(dialog.getByTestId("reviewed-state")).toHaveText("Reviewed");
  // Keys: j opens the next event of the list, r marks it reviewed.
  await page.keyboard.press("j");
  await expect(page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · .*${clockText(made[1].startedAt)}`) })).toBeVisible();
  await page.keyboard.press("r");
  await expect(card(page, made[1])).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.reload();
  for (const e of made.slice(0, 2)) await expect(card(page, e)).toHaveCount(0);
  for (const e of made.slice(2)) await expect(card(page, e)).toHaveAttribute("data-reviewed", "no");
  // ? lists the shortcuts.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help.getByTestId("shortcuts")).toContainText("Next event");
  await expect(help.getByTestId("shortcuts")).toContainText("Mark reviewed, or not");
  await expect(help.getByRole("definition").filter({ hasText: "Open the event under the cursor" })).toBeVisible(); // the timeline's keys
  await help.getByRole("button", { name: "Close", exact: true }).click();
  // All events: still there, marked as reviewed.
  await tabs.getByRole("link", { name: "All events", exact: true }).click();
  await expect(page).toHaveURL(/show=all/);
  await expect(card(page, made[0])).toHaveAttribute("data-reviewed", "yes");
  await expect(card(page, made[2])).toHaveAttribute("data-reviewed", "no");

  // Another member who sees the camera: their queue is untouched; everything up to now empties theirs only.
  const other = await createMember("member", "reviewer");
  expect((await page.request.put(`/api/cameras/${cameraId}/access`, { data: { userIds: [other.id] } })).ok()).toBe(true);
  const theirs = await signedInPage(browser, other.email, other.password);
  await theirs.goto(`/events?camera=${cameraId}`);
  for (const e of made) await expect(card(theirs, e)).toHaveAttribute("data-reviewed", "no");
  await theirs.getByRole("button", { name: "Mark everything reviewed" }).click();
  await theirs.getByRole("alertdialog", { name: "Mark everything up to now as reviewed?" }).getByRole("button", { name: "Mark reviewed", exact: true }).click();
  await expect(theirs.getByTestId("events-notice")).toHaveText("Everything up to now is marked reviewed.");
  await expect(theirs.getByTestId("event")).toHaveCount(0);
  await theirs.context().close();
  await page.goto(`/events?camera=${cameraId}`);
  for (const e of made.slice(2)) await expect(card(page, e)).toHaveAttribute("data-reviewed", "no");

  // Taken back: both are in my queue again (the specs below expect them there).
  const back = await page.request.post("/api/events/review", { data: { ids: [made[0].id, made[1].id], reviewed: false } });
  expect([...((await back.json()) as { unreviewed: string[] }).unreviewed].sort()).toEqual([made[0].id, made[1].id].sort());
  await page.reload();
  for (const e of made) await expect(card(page, e)).toHaveAttribute("data-reviewed", "no");
});

test("protect: the protected filter shows it, and deleting it is refused until unprotected", async ({ page }) => {
  const b = made[1];
  await page.goto(`/events?camera=${cameraId}`);
  await card(page, b).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  await dialog.getByRole("button", { name: "Protect from expiry" }).click();
  await expect(dialog.getByRole("button", { name: "Remove protection" })).toBeVisible();
  await expect(dialog.getByTestId("protected-badge")).toBeVisible();
  // Deleting it is refused with a clear message.
  await dialog.getByRole("button", { name: "Delete event" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete this event?" });
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(confirm.getByTestId("form-error")).toHaveText("This event is protected. Remove the protection first to delete it.");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(card(page, b).getByTestId("protected-badge")).toBeVisible();

  const refused = await page.request.delete(`/api/events/${b.id}`);
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe("event_protected");

  await page.goto(`/events?camera=${cameraId}&protected=yes`);
  await expect(page.getByTestId("event")).toHaveCount(1);
  await expect(card(page, b)).toBeVisible();
  await page.goto(`/events?camera=${cameraId}&protected=no`);
  await expect(page.getByTestId("event")).toHaveCount(made.length - 1);
  await expect(card(page, b)).toHaveCount(0);
});

test("delete one event: asked first, then gone from the list and the API", async ({ page }) => {
  const a = made[0];
  await page.goto(`/events?camera=${cameraId}`);
  await card(page, a).getByRole("button").click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERA} · `) });
  await dialog.getByRole("button", { name: "Delete event" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete this event?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await dialog.getByRole("button", { name: "Delete event" }).click();
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("events-notice")).toHaveText("Event deleted.");
  await expect(card(page, a)).toHaveCount(0);
  expect((await page.request.get(`/api/events/${a.id}`)).status()).toBe(404);
  expect((await page.request.get(`/api/events/${a.id}/clips/1`)).status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("event")).toHaveCount(made.length - 1);
});

test("bulk delete: selected events go together, the protected one is kept", async ({ page }) => {
  const [, b, ...rest] = made; // b is protected; a is gone
  await page.goto(`/events?camera=${cameraId}`);
  for (const e of [b, ...rest]) await card(page, e).getByRole("checkbox", { name: new RegExp(`^Select ${CAMERA} `) }).check();
  await expect(page.getByTestId("selected-count")).toHaveText(`${rest.length + 1} events selected`);
  await page.getByRole("button", { name: "Delete selected" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete ${rest.length + 1} events?` });
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByTestId("events-notice")).toHaveText(`${rest.length} events deleted. 1 protected event was kept.`);
  await expect(page.getByTestId("event")).toHaveCount(1);
  await expect(card(page, b)).toBeVisible();
  for (const e of rest) expect((await page.request.get(`/api/events/${e.id}`)).status()).toBe(404);
  // Already deleted ids are reported, not an error.
  const again = await page.request.post("/api/events/delete", { data: { ids: [rest[0].id, b.id] } });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ deleted: 0, protected: [b.id], missing: [rest[0].id] });
});

test("time-range delete per camera (admins), from the camera's page: protected events only when asked; reversed ranges refused", async ({ page }) => {
  const b = made[1];
  const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const pastDay = local(new Date(Date.now() - 2 * 86_400_000));
  const futureDay = local(new Date(Date.now() + 2 * 86_400_000));
  await page.goto(`/cameras/${cameraId}`);
  await page.getByRole("button", { name: "Delete recordings in a time range…" }).click();
  const range = page.getByRole("dialog", { name: "Delete a time range" });
  await expect(range).toContainText(`Deletes every event of ${CAMERA} that started in the chosen time range (times in ${timeZone}).`);

  await range.getByLabel("From", { exact: true }).fill(`${futureDay}T00:00`);
  await range.getByLabel("To", { exact: true }).fill(`${pastDay}T00:00`);
  await range.getByRole("button", { name: "Delete events in this range" }).click();
  await expect(range.getByTestId("form-error")).toHaveText("The end of the time range must come after its start.");
  const reversed = await page.request.post(`/api/cameras/${cameraId}/events/delete-range`, { data: { from: `${futureDay}T00:00:00Z`, to: `${pastDay}T00:00:00Z` } });
  expect(reversed.status()).toBe(400);
  expect((await reversed.json()).error.code).toBe("invalid_date_range");
  expect((await page.request.post(`/api/cameras/${cameraId}/events/delete-range`, { data: { from: "soon", to: "later" } })).status()).toBe(400);
  expect((await page.request.post(`/api/cameras/no-such-camera-000000000/events/delete-range`, { data: { from: pastDay, to: futureDay } })).status()).toBe(404);

  await range.getByLabel("From", { exact: true }).fill(`${pastDay}T00:00`);
  await range.getByLabel("To", { exact: true }).fill(`${futureDay}T00:00`);
  await range.getByRole("button", { name: "Delete events in this range" }).click();
  let confirm = page.getByRole("alertdialog", { name: "Delete these events?" });
  await expect(confirm).toContainText(`Every event of ${CAMERA} from`);
  await expect(confirm).toContainText("Protected events are kept.");
  // Before it asks, it says what goes and what stays (counted by the server for this camera and range).
  await expect(confirm.getByTestId("range-count")).toHaveText("No event will be deleted. 1 protected event in this range is kept.");
  const counted = await page.request.get(`/api/cameras/${cameraId}/events/delete-range?from=${pastDay}&to=${futureDay}`);
  expect(await counted.json()).toEqual({ events: 1, protected: 1 });
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(range.getByRole("status")).toHaveText("0 events deleted. 1 protected event was kept.");
  expect((await page.request.get(`/api/events/${b.id}`)).status()).toBe(200);

  await range.getByLabel("Also delete protected events").check();
  await range.getByRole("button", { name: "Delete events in this range" }).click();
  confirm = page.getByRole("alertdialog", { name: "Delete these events?" });
  await expect(confirm).toContainText("Protected events are deleted too.");
  await expect(confirm.getByTestId("range-count")).toHaveText("1 event will be deleted.");
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(range.getByRole("status")).toHaveText("1 event deleted.");
  // Closed, the camera's page keeps the outcome in view.
  await range.getByRole("button", { name: "Close", exact: true }).click();
  await expect(range).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Delete a time range" }).getByRole("status")).toHaveText("1 event deleted.");
  expect((await page.request.get(`/api/events/${b.id}`)).status()).toBe(404);
  await page.goto(`/events?camera=${cameraId}&show=all`);
  await expect(page.getByTestId("event")).toHaveCount(0);
  await expect(page.getByText("No events match these filters.", { exact: true })).toBeVisible();
});
