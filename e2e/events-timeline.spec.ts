// The Events timeline end to end in real Chromium, for a member in Europe/Amsterdam: two cameras (the simulator's
// camera 0, motion off, so they make no events of their own) and events written into the database on Amsterdam's
// 25-hour day (2026-10-25: 02:00 comes twice) and the day after, one with a real JPEG thumbnail (made by ffmpeg).
// At 390×844 and 1280×800: hour labels never overlap at any zoom level and the page does not scroll sideways; zoom
// buttons and +/− change the span; a click and Enter open the event; hovering shows the thumbnail; the keyboard moves
// the cursor and across midnight; a drag moves the window; today shows "now". The cameras and events go at the end.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { E2E_DATA_DIR, OWNER_STATE, SIM } from "./fixtures/env";
import { insertEvents } from "./fixtures/events";
import { createMember, ownerApi, removeMember, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
test.describe.configure({ mode: "serial" });

const ZONE = "Europe/Amsterdam";
const DAY = "2026-10-25";
const CAMERAS = ["Timeline drive", "Timeline garden"] as const;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const HOUR = 3_600_000;

type Made = { id: string; camera: 0 | 1; startedAt: string; endedAt: string; labels: string[]; photo: boolean };
/** Amsterdam 2026-10-25: 01:30 CEST, 02:30 CEST (first pass), 02:30 CET (second pass), 14:00:00 CET, 14:00:10 CET; 2026-10-26 09:00 CET. */
const EVENTS: Made[] = [
  { id: "tl-e2e-1", camera: 0, startedAt: "2026-10-24T23:30:00.000Z", endedAt: "2026-10-24T23:32:00.000Z", labels: ["person"], photo: false },
  { id: "tl-e2e-2", camera: 0, startedAt: "2026-10-25T00:30:00.000Z", endedAt: "2026-10-25T00:40:00.000Z", labels: ["car"], photo: false },
  { id: "tl-e2e-3", camera: 1, startedAt: "2026-10-25T01:30:00.000Z", endedAt: "2026-10-25T01:31:00.000Z", labels: [], photo: false },
  { id: "tl-e2e-4", camera: 1, startedAt: "2026-10-25T13:00:00.000Z", endedAt: "2026-10-25T13:00:30.000Z", labels: ["cat"], photo: true },
  { id: "tl-e2e-5", camera: 0, startedAt: "2026-10-25T13:00:10.000Z", endedAt: "2026-10-25T13:05:00.000Z", labels: [], photo: false },
  { id: "tl-e2e-6", camera: 0, startedAt: "2026-10-26T08:00:00.000Z", endedAt: "2026-10-26T08:01:00.000Z", labels: [], photo: false },
];

const cameraIds: string[] = [];
let member = { email: "", password: "", id: "" };


test.beforeAll(async () => {
  const api = await ownerApi();
  try {
    for (const name of CAMERAS) {
      // A long expiry: the events lie weeks back.
      const add = await api.post("/api/cameras", { data: { name, mainStreamUrl: SIM.rtsp(0), subStreamUrl: SIM.rtsp(0, "sub"), username: SIM.username, password: SIM.password, retentionDays: 3650 } });
      expect(add.status()).toBe(201);
      cameraIds.push((await add.json()).camera.id);
    }
  } finally {
    await api.dispose();
  }
  // The events go straight into the database (the test cannot wait for a DST night); the thumbnail is a real JPEG.
  const rel = "timeline-e2e";
  const media = path.join(E2E_DATA_DIR, "media", rel);
  fs.mkdirSync(media, { recursive: true });
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x2266aa:s=320x180", "-frames:v", "1", path.join(media, "thumb.jpg")]);
  fs.copyFileSync(path.join(media, "thumb.jpg"), path.join(media, "photo.jpg"));
  const bytes = fs.statSync(path.join(media, "thumb.jpg")).size;
  const photo = { path: `${rel}/photo.jpg`, thumbPath: `${rel}/thumb.jpg`, bytes, width: 320, height: 180 };
  insertEvents(EVENTS.map((e) => ({ id: e.id, cameraId: cameraIds[e.camera], cameraName: CAMERAS[e.camera], startedAt: e.startedAt, endedAt: e.endedAt, labels: e.labels, photo: e.photo ? photo : undefined })));
  const m = await createMember("admin", "tl"); // a short e-mail: other specs measure the household list at 360 px
  member = { email: m.email, password: m.password, id: m.id };
});

test.afterAll(async () => {
  if (member.id) await removeMember(member.id);
  const api = await ownerApi();
  for (const id of cameraIds) expect((await api.delete(`/api/cameras/${id}?recordings=delete`)).status()).toBe(200);
  await api.dispose();
});

async function memberPage(browser: Browser, size: { width: number; height: number }): Promise<Page> {
  const page = await signedInPage(browser, member.email, member.password);
  expect((await page.request.patch("/api/account", { data: { timeZone: ZONE } })).status()).toBe(200);
  await page.setViewportSize(size);
  return page;
}

const timeline = (page: Page) => page.getByRole("region", { name: "Timeline" });
const track = (page: Page) => timeline(page).getByRole("group", { name: "Time scrubber" });
const spanMs = async (page: Page) => Number(await timeline(page).getByTestId("timeline-span").getAttribute("data-span-ms"));
const cursor = async (page: Page) => Date.parse((await track(page).getAttribute("data-cursor"))!);

/** No two hour labels overlap, all lie inside the track, and the page does not scroll sideways. */
async function expectLabelsApart(page: Page, where: string) {
  const labels = timeline(page).getByTestId("timeline-hour-label");
  await expect(labels.first()).toBeVisible();
  const boxes = (await labels.evaluateAll((els) => els.map((el) => { const r = el.getBoundingClientRect(); return { x: r.x, w: r.width, text: el.textContent }; }))).sort((a, b) => a.x - b.x);
  const area = (await track(page).boundingBox())!;
  expect(boxes.length, where).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < boxes.length; i++) {
    expect(boxes[i].x, `${where}: ${boxes[i].text} inside`).toBeGreaterThanOrEqual(area.x - 0.5);
    expect(boxes[i].x + boxes[i].w, `${where}: ${boxes[i].text} inside`).toBeLessThanOrEqual(area.x + area.width + 0.5);
    if (i > 0) expect(boxes[i].x, `${where}: ${boxes[i - 1].text} and ${boxes[i].text} apart`).toBeGreaterThanOrEqual(boxes[i - 1].x + boxes[i - 1].w);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${where}: no sideways scroll`).toBeLessThanOrEqual(0);
}

for (const size of [PHONE, DESKTOP]) {
  test(`${size.width}×${size.height}: the 25-hour day, labels apart at every zoom level, zoom in and out`, async ({ browser }) => {
    const page = await memberPage(browser, size);
    await page.goto(`/events?day=${DAY}`);
    await expect(timeline(page).getByLabel("Day", { exact: true })).toHaveValue(DAY);
    await expect(timeline(page).getByTestId("timeline-dst")).toHaveText("This day has 25 hours: the clocks went back, so one hour comes twice.");
    // One line per real hour: 25, with 02:00 twice.
    const hours = timeline(page).getByTestId("timeline-hour");
    await expect(hours).toHaveCount(25);
    const hourList = await hours.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-hour"))));
    expect(hourList.filter((h) => h === 2)).toHaveLength(2);
    expect(await spanMs(page)).toBe(25 * HOUR);
    await expectLabelsApart(page, `${size.width} px, whole day`);
    await timeline(page).screenshot({ path: test.info().outputPath(`timeline-${size.width}-dst-day.png`) });
    // The five events as bars, coloured by what was seen.
    await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(5);
    await expect(timeline(page).getByRole("list", { name: CAMERAS[0] }).getByRole("button", { name: new RegExp(`^${CAMERAS[0]} at 1:30:00 AM: person$`) })).toHaveAttribute("data-kind", "person");
    await expect(timeline(page).getByRole("button", { name: new RegExp(`^${CAMERAS[1]} at 2:30:00 AM$`) })).toHaveAttribute("data-kind", "motion");
    await expect(timeline(page).getByRole("list", { name: "Colours" }).getByRole("listitem")).toHaveText(["Person", "Vehicle", "Animal", "Motion only", "Protected"]);

    // Zoom in with the button, label check at each level, down to an hour; the button then stops.
    const zoomIn = timeline(page).getByRole("button", { name: "Zoom in" });
    for (const h of [12, 6, 3, 1]) {
      await zoomIn.click();
      await expect.poll(() => spanMs(page)).toBe(h * HOUR);
      await expectLabelsApart(page, `${size.width} px, ${h} h`);
    }
    await expect(zoomIn).toBeDisabled();
    // The keyboard's minus zooms out again; the whole day button goes back to 25 h.
    await track(page).focus();
    await page.keyboard.press("-");
    await expect.poll(() => spanMs(page)).toBe(3 * HOUR);
    await page.keyboard.press("+");
    await expect.poll(() => spanMs(page)).toBe(HOUR);
    await timeline(page).getByRole("button", { name: "Whole day" }).click();
    await expect.poll(() => spanMs(page)).toBe(25 * HOUR);

    // Three real hours from midnight end at the second 02:00: the lines of 00, 01 and the first 02.
    await track(page).focus();
    await page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("+");
    await expect.poll(() => spanMs(page)).toBe(3 * HOUR);
    await expect(hours).toHaveCount(3);
    await expect(timeline(page).getByTestId("timeline-span")).toHaveText("Showing 12:00 AM – 02:00 AM");
    await expectLabelsApart(page, `${size.width} px, the night`);
    await timeline(page).screenshot({ path: test.info().outputPath(`timeline-${size.width}-night.png`) });
    await page.context().close();
  });
}

test("a click on a bar opens that event; hovering shows its thumbnail; Enter opens the event under the cursor", async ({ browser }) => {
  const page = await memberPage(browser, DESKTOP);
  await page.goto(`/events?day=${DAY}`);
  const cat = timeline(page).getByRole("button", { name: new RegExp(`^${CAMERAS[1]} at 2:00:00 PM: cat$`) });
  await cat.hover();
  const preview = timeline(page).getByTestId("timeline-preview");
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute("data-event-id", "tl-e2e-4");
  const thumb = preview.getByTestId("timeline-thumb");
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
  await expect(preview).toContainText("cat");
  await timeline(page).screenshot({ path: test.info().outputPath("timeline-preview.png") });
  await page.mouse.move(0, 0);
  await expect(preview).toHaveCount(0);

  await cat.click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${CAMERAS[1]} · `) });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The keyboard: Home is midnight, Shift+→ jumps to the first event (01:30, the drive: person), Enter opens it.
  await track(page).focus();
  await page.keyboard.press("Home");
  expect(await cursor(page)).toBe(Date.parse("2026-10-24T22:00:00.000Z"));
  await page.keyboard.press("Shift+ArrowRight");
  expect(await cursor(page)).toBe(Date.parse(EVENTS[0].startedAt));
  await expect(timeline(page).getByTestId("timeline-announce")).toHaveText(new RegExp(`^Cursor at 01:30 AM: ${CAMERAS[0]} at 1:30:00 AM: person$`));
  await expect(preview).toHaveAttribute("data-event-id", "tl-e2e-1");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: new RegExp(`^${CAMERAS[0]} · `) })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.context().close();
});

test("the keyboard moves the cursor and across midnight; a drag moves the window; today shows now", async ({ browser }) => {
  const page = await memberPage(browser, PHONE);
  await page.goto(`/events?day=${DAY}`);
  const scrubber = track(page);
  await scrubber.focus();
  await page.keyboard.press("Home");
  const start = await cursor(page);
  await page.keyboard.press("ArrowRight");
  expect(await cursor(page)).toBe(start + (25 * HOUR) / 24);
  await page.keyboard.press("ArrowLeft");
  expect(await cursor(page)).toBe(start);
  // Past the end of the day: the next day loads (its event shows), and the address keeps the day.
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowRight");
  await expect(timeline(page).getByLabel("Day", { exact: true })).toHaveValue("2026-10-26");
  await expect(page).toHaveURL(/day=2026-10-26/);
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(1);
  await expect(timeline(page).getByTestId("timeline-dst")).toHaveCount(0);
  // PageUp from the whole day goes back to the 25-hour day.
  await page.keyboard.press("PageUp");
  await expect(timeline(page).getByLabel("Day", { exact: true })).toHaveValue(DAY);
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(5);

  // A drag (mouse) to the left moves a zoomed window later in the day.
  await page.keyboard.press("Home");
  await timeline(page).getByRole("button", { name: "Zoom in" }).click();
  await expect.poll(() => spanMs(page)).toBe(12 * HOUR);
  const before = await timeline(page).getByTestId("timeline-span").getAttribute("data-start");
  await dragBy(page, scrubber, -120);
  await expect.poll(() => timeline(page).getByTestId("timeline-span").getAttribute("data-start")).not.toBe(before);
  expect(Date.parse((await timeline(page).getByTestId("timeline-span").getAttribute("data-start"))!)).toBeGreaterThan(Date.parse(before!));

  // Today: the "now" line.
  await page.goto("/events");
  await expect(timeline(page).getByTestId("timeline-now")).toHaveCount(1);
  await expectLabelsApart(page, "390 px, today");
  await page.context().close();
});

/** A busy morning (Amsterdam 2026-10-20, CEST): 450 events of the drive from 10:00, one every 20 s, 5 s long (to 12:30). */
const BUSY_DAY = "2026-10-20";
const BUSY_FROM = Date.parse("2026-10-20T08:00:00.000Z");
const BUSY = Array.from({ length: 450 }, (_, i) => ({ id: `tl-busy-${String(i).padStart(3, "0")}`, startedAt: BUSY_FROM + i * 20_000 }));

test("a busy day shows how busy it was; a click zooms in there and, once few enough, each event is a bar again", async ({ browser }) => {
  insertEvents(BUSY.map((e) => ({ id: e.id, cameraId: cameraIds[0], cameraName: CAMERAS[0], startedAt: e.startedAt, endedAt: e.startedAt + 5_000 })));
  const page = await memberPage(browser, DESKTOP);
  await page.goto(`/events?day=${BUSY_DAY}`);
  // The whole day: more than the timeline lists one by one, so each lane is shaded by ten-minute buckets; the
  // drive's fifteen buckets from 10:00 hold 30 events each, the garden's lane is empty.
  const busy = timeline(page).getByTestId("timeline-busy");
  await expect(busy).toHaveText("450 events here: shown as how busy each moment was. Zoom in (+, or click the strip) to see each one.");
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(0);
  const drive = timeline(page).locator(`[data-testid="timeline-density-lane"][data-lane="${cameraIds[0]}"]`);
  const cells = drive.getByTestId("timeline-density");
  await expect(cells).toHaveCount(15);
  expect(await cells.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-count"))))).toEqual(new Array(15).fill(30));
  await expect(cells.first()).toHaveAttribute("data-at", "2026-10-20T08:00:00.000Z");
  await expect(timeline(page).locator(`[data-testid="timeline-density-lane"][data-lane="${cameraIds[1]}"]`).getByTestId("timeline-density")).toHaveCount(0);
  await timeline(page).screenshot({ path: test.info().outputPath("timeline-busy-day.png") });

  // Deleting one from the list takes it out of its bucket (12:20–12:30 local) at once.
  const newest = page.locator(`[data-testid=event][data-event-id="${BUSY.at(-1)!.id}"]`);
  await newest.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected" }).click();
  await page.getByRole("alertdialog", { name: "Delete 1 event?" }).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(newest).toHaveCount(0);
  await expect(drive.locator('[data-testid=timeline-density][data-at="2026-10-20T10:20:00.000Z"]')).toHaveAttribute("data-count", "29");
  await expect(busy).toHaveText(/^449 events here/);
  BUSY.pop();

  // A click on the strip at 11:00 zooms in around it (12 h: still busy, five-minute buckets now), the keyboard goes
  // on to an hour, where the events are few enough to be bars, one per event of that hour.
  await drive.scrollIntoViewIfNeeded(); // the list's delete scrolled the page down
  const lane = (await drive.boundingBox())!;
  await page.mouse.click(lane.x + (11 / 24) * lane.width, lane.y + lane.height / 2);
  await expect.poll(() => spanMs(page)).toBe(12 * HOUR);
  // Thirty buckets of 15 from 10:00 (the buckets follow the clock wherever the window starts).
  await expect.poll(() => cells.count()).toBe(30);
  expect(await cells.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-count"))))).toEqual([...new Array(29).fill(15), 14]);
  await expect(cells.first()).toHaveAttribute("data-at", "2026-10-20T08:00:00.000Z");
  await expect(busy).toBeVisible();
  await track(page).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("+");
  await expect.poll(() => spanMs(page)).toBe(HOUR);
  await expect(busy).toHaveCount(0);
  const start = Date.parse((await timeline(page).getByTestId("timeline-span").getAttribute("data-start"))!);
  const [from, to] = [Math.floor(start / 1000) * 1000, Math.ceil((start + HOUR) / 1000) * 1000];
  const expected = BUSY.filter((e) => (e.startedAt >= from && e.startedAt < to) || (e.startedAt < from && e.startedAt + 5_000 > from)).map((e) => e.id);
  expect(expected.length).toBeGreaterThan(170);
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(expected.length);
  expect((await timeline(page).getByTestId("timeline-marker").evaluateAll((els) => els.map((el) => el.getAttribute("data-event-id")))).sort()).toEqual(expected.sort());
  // A bar opens its event as on any day.
  await timeline(page).getByTestId("timeline-marker").nth(10).click();
  await expect(page.getByRole("dialog", { name: new RegExp(`^${CAMERAS[0]} · `) })).toBeVisible();
  await page.keyboard.press("Escape");
  // Out to three hours (density again) and back in to the same hour: its events are asked for again.
  await timeline(page).getByRole("button", { name: "Zoom out" }).click();
  await expect.poll(() => spanMs(page)).toBe(3 * HOUR);
  await expect(busy).toBeVisible();
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(0);
  await timeline(page).getByRole("button", { name: "Zoom in" }).click();
  await expect.poll(() => spanMs(page)).toBe(HOUR);
  await expect(timeline(page).getByTestId("timeline-marker")).toHaveCount(expected.length);
  // The whole day again: density.
  await timeline(page).getByRole("button", { name: "Whole day" }).click();
  await expect(busy).toBeVisible();
  await expect(cells).toHaveCount(15);

  // The window's bad input: 400 with the field that is wrong.
  const ask = (qs: string) => page.request.get(`/api/events/timeline?day=${BUSY_DAY}&tz=${encodeURIComponent(ZONE)}&${qs}`);
  const part = await ask("from=2026-10-20T09:00:00Z&to=2026-10-20T10:00:00Z");
  expect(part.status()).toBe(200);
  expect((await part.json()).events).toHaveLength(180);
  for (const [qs, field] of [
    ["from=yesterday&to=2026-10-20T10:00:00Z", "from"],
    ["from=2026-10-20T09:00:00Z", "to"],
    ["from=2026-10-20T10:00:00Z&to=2026-10-20T09:00:00Z", "to"],
    ["from=2026-10-22T09:00:00Z&to=2026-10-22T10:00:00Z", "window"],
  ]) {
    const res = await ask(qs);
    expect(res.status(), qs).toBe(400);
    expect(Object.keys((await res.json()).error.fields ?? {}), qs).toContain(field);
  }
  await page.context().close();
});

async function dragBy(page: Page, target: Locator, dx: number) {
  const box = (await target.boundingBox())!;
  const y = box.y + box.height - 6;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) await page.mouse.move(x + (dx * i) / 6, y);
  await page.mouse.up();
}
