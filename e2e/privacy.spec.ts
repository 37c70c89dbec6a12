// Data rights end to end: deleting my account (a second browser signed in as me is thrown out), an admin removing a
// member, the activity log, the data statement's figures against the files on disk, and privacy mode stopping live
// view and recording. The factory reset is tested in lib/privacy/reset.test.ts only: here it would wipe the shared
// e2e server.
import fs from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { E2E_BASE_URL, E2E_DATA_DIR, OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, signIn, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });

/** Bytes of the files under $DATA_DIR/media (or one camera's folder in it) whose names pass `filter`; no temp files. */
function mediaBytes(filter: (name: string) => boolean, cameraId?: string): number {
  const walk = (dir: string): number => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return 0;
    }
    return entries.reduce((n, e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return n + walk(p);
      if (!e.isFile() || e.name.includes(".tmp") || !filter(e.name)) return n;
      try {
        return n + fs.statSync(p).size;
      } catch {
        return n;
      }
    }, 0);
  };
  return walk(path.join(E2E_DATA_DIR, "media", cameraId ?? ""));
}

type Statement = { statement: { items: { kind: string; figures: { name: string; value: number | null }[] }[] } };
async function statementFigure(api: APIRequestContext, kind: string, name: string): Promise<number | null> {
  const res = await api.get("/api/privacy/statement");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as Statement;
  return body.statement.items.find((i) => i.kind === kind)?.figures.find((f) => f.name === name)?.value ?? null;
}

test("delete my account: a second browser signed in as me is thrown out on its next request", async ({ browser, page }) => {
  const me = await createMember("member", "leaver");
  const a = await signedInPage(browser, me.email, me.password);
  const b = await signedInPage(browser, me.email, me.password);

  // My data and my activity show what Nightjar holds.
  await a.goto("/account");
  await a.getByRole("navigation", { name: "Account sections" }).getByRole("link", { name: "My data" }).click();
  await expect(a).toHaveURL(/\/account\/data$/);
  await expect(a.getByRole("heading", { name: "What Nightjar holds about you" })).toBeVisible();
  await expect(a.getByTestId("my-data-0")).toHaveText(me.email);
  await a.goto("/account/activity");
  await expect(a.locator('[data-testid="activity-row"][data-action="auth.sign_in"]').first()).toContainText("Signed in");

  await a.goto("/account/data");
  const section = a.getByRole("region", { name: "Delete my account" });
  await section.getByLabel("Your password", { exact: true }).fill("not-my-password-1");
  a.once("dialog", (d) => d.accept());
  await section.getByRole("button", { name: "Delete my account" }).click();
  await expect(section.getByTestId("form-error")).toHaveText("The current password is incorrect.");

  await section.getByLabel("Your password", { exact: true }).fill(me.password);
  a.once("dialog", (d) => d.accept());
  await section.getByRole("button", { name: "Delete my account" }).click();
  await expect(a).toHaveURL(/\/login$/);

  // The other browser: its API call is refused, its next page load lands on the sign-in page.
  expect((await b.context().request.get("/api/account")).status()).toBe(401);
  await b.goto("/events");
  await expect(b).toHaveURL(/\/login$/);
  // The account is gone: signing in fails like for an unknown e-mail.
  await signIn(b, me.email, me.password);
  await expect(b.getByTestId("form-error")).toHaveText("E-mail or password is incorrect.");

  const members = await (await page.request.get("/api/household/members")).json();
  expect(members.members.some((m: { email: string }) => m.email === me.email)).toBe(false);
  // The household log records that an account was deleted, with no trace of whose.
  const log = await (await page.request.get("/api/activity?scope=household&limit=20")).json();
  const deleted = log.items.find((i: { action: string }) => i.action === "account.deleted");
  expect(deleted).toBeTruthy();
  expect(deleted.actor).toBeNull();
  expect(JSON.stringify(log)).not.toContain(me.id);
  await a.context().close();
  await b.context().close();
});

test("an admin removes a member: the member's session ends on its next request", async ({ browser, page }) => {
  const member = await createMember("viewer", "removed");
  const theirs = await signedInPage(browser, member.email, member.password);

  await page.goto("/settings/household");
  const row = page.getByTestId(`member-${member.email}`);
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Remove: removed person" }).click();
  await expect(page.getByText("removed person was removed.", { exact: true })).toBeVisible();
  await expect(page.getByTestId(`member-${member.email}`)).toHaveCount(0);

  expect((await theirs.context().request.get("/api/cameras")).status()).toBe(401);
  await theirs.goto("/live");
  await expect(theirs).toHaveURL(/\/login$/);

  // The household's activity log (admins): the removal, naming no one.
  await page.goto("/settings/activity");
  await expect(page.getByRole("heading", { name: "Activity log", level: 1 })).toBeVisible();
  const removed = page.locator('[data-testid="activity-row"][data-action="member.removed"]').first();
  await expect(removed).toContainText("Removed a member");
  await expect(removed).toContainText("You");
  const log = await (await page.request.get("/api/activity?scope=household&limit=50")).json();
  expect(JSON.stringify(log)).not.toContain(member.id);
  await theirs.context().close();
});

test("privacy mode stops live view and recording; the data statement's figures match the files on disk", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const sim = 1;
  const control = await request.newContext();
  const owner = await request.newContext({ baseURL: E2E_BASE_URL, storageState: OWNER_STATE });
  const add = await owner.post("/api/cameras", { data: { name: "Nursery", mainStreamUrl: SIM.rtsp(sim), subStreamUrl: SIM.rtsp(sim, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status()).toBe(201);
  const cameraId = (await add.json()).camera.id as string;
  // Other cameras on the same simulated camera would record the same motion: keep them in privacy mode meanwhile.
  const all = (await (await owner.get("/api/cameras")).json()).cameras as { id: string; mainStreamUrl: string; subStreamUrl: string | null; privacyMode: boolean }[];
  const onSim = (c: { mainStreamUrl: string; subStreamUrl: string | null }) => [c.mainStreamUrl, c.subStreamUrl].some((u) => !!u && new URL(u).hostname === SIM.host(sim));
  const others = all.filter((c) => c.id !== cameraId && onSim(c));
  const motion = async (on: boolean) => expect((await control.post(`${SIM.controlUrl}/cameras/${sim}/motion`, { data: { on } })).ok()).toBe(true);
  const eventsOf = async (id: string) => ((await (await owner.get(`/api/events?camera=${id}`)).json()).events as unknown[]).length;
  const playlist = () => owner.get(`/api/cameras/${cameraId}/live/main/index.m3u8`).then((r) => r.status());

  try {
    for (const c of others) if (!c.privacyMode) expect((await owner.post(`/api/cameras/${c.id}/privacy`, { data: { enabled: true } })).status()).toBe(200);

    // Who may switch it: admins; members only when the household allows it, for cameras they see; viewers never.
    const member = await createMember("member", "switcher");
    const viewer = await createMember("viewer", "watcher");
    expect((await owner.put(`/api/cameras/${cameraId}/access`, { data: { userIds: [member.id, viewer.id] } })).status()).toBe(200);
    const memberPage = await signedInPage(browser, member.email, member.password);
    const viewerPage = await signedInPage(browser, viewer.email, viewer.password);
    const asMember = (enabled: boolean) => memberPage.request.post(`/api/cameras/${cameraId}/privacy`, { data: { enabled } }).then((r) => r.status());
    expect(await asMember(true)).toBe(403);
    expect((await owner.patch("/api/household/privacy", { data: { privacyModeRole: "member" } })).status()).toBe(200);
    expect(await asMember(true)).toBe(200);
    expect(await asMember(false)).toBe(200);
    expect((await viewerPage.request.post(`/api/cameras/${cameraId}/privacy`, { data: { enabled: true } })).status()).toBe(403);
    expect((await owner.patch("/api/household/privacy", { data: { privacyModeRole: "admin" } })).status()).toBe(200);
    await viewerPage.goto(`/cameras/${cameraId}`);
    await expect(viewerPage.getByRole("switch", { name: "Privacy mode" })).toBeDisabled();
    await memberPage.context().close();
    await viewerPage.context().close();

    // The owner turns it on from the camera page.
    await page.goto(`/cameras/${cameraId}`);
    const privacySwitch = page.getByRole("switch", { name: "Privacy mode" });
    await expect(privacySwitch).toHaveAttribute("aria-checked", "false");
    await privacySwitch.click();
    await expect(page.getByRole("switch", { name: "Privacy mode" })).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("privacy-mode-on")).toBeVisible();

    // Live view is refused, and so is a snapshot (no picture of any kind leaves the server).
    expect(await playlist()).toBe(409);
    const snapshot = await owner.get(`/api/cameras/${cameraId}/snapshot`);
    expect(snapshot.status()).toBe(409);
    expect((await snapshot.json()).error.code).toBe("privacy_mode");
    // Motion in front of the camera records nothing (an event row would be written at the first motion).
    await page.waitForTimeout(4000); // the recorder pool stops the camera's recorder within its 2 s poll
    await motion(true);
    await page.waitForTimeout(6000);
    await motion(false);
    await page.waitForTimeout(6000);
    expect(await eventsOf(cameraId)).toBe(0);
    expect(await playlist()).toBe(409);

    // Off again: the same motion is recorded (so the test above could have failed).
    expect((await owner.post(`/api/cameras/${cameraId}/privacy`, { data: { enabled: false } })).status()).toBe(200);
    await expect.poll(playlist, { timeout: 30_000 }).not.toBe(409);
    const picture = await owner.get(`/api/cameras/${cameraId}/snapshot`);
    expect(picture.status()).toBe(200);
    expect(picture.headers()["content-type"]).toBe("image/jpeg");
    await page.waitForTimeout(8000); // recorder started, pre-roll filled
    await motion(true);
    await page.waitForTimeout(4000);
    await motion(false);
    await expect.poll(() => eventsOf(cameraId), { timeout: 30_000 }).toBe(1);
    // The clip is written first, then the photo from it.
    await expect.poll(() => mediaBytes((n) => n.endsWith("-photo.jpg"), cameraId), { timeout: 60_000, intervals: [2000] }).toBeGreaterThan(0);

    // The data statement measures what is on disk: clips and photos (bytes in the database = bytes of the files).
    const clipsMatch = async () => (await statementFigure(owner, "eventClips", "totalBytes")) === mediaBytes((n) => n.endsWith(".mp4"));
    const photosMatch = async () => (await statementFigure(owner, "eventPhotos", "totalBytes")) === mediaBytes((n) => n.endsWith(".jpg"));
    await expect.poll(clipsMatch, { timeout: 30_000, intervals: [1000] }).toBe(true);
    await expect.poll(photosMatch, { timeout: 30_000, intervals: [1000] }).toBe(true);
    expect(await statementFigure(owner, "eventClips", "totalBytes")).toBeGreaterThanOrEqual(mediaBytes((n) => n.endsWith(".mp4"), cameraId));
    expect(mediaBytes((n) => n.endsWith(".mp4"), cameraId)).toBeGreaterThan(0);

    // The page shows the same statement in words.
    await page.goto("/account/statement");
    await expect(page.getByRole("heading", { name: "Data statement", level: 1 })).toBeVisible();
    await expect(page.getByTestId("integrations")).toHaveText("None configured.");
    await expect(page.getByRole("heading", { name: "Event clips" })).toBeVisible();
    const shown = Number(await page.getByTestId("figure-eventClips-totalBytes").getAttribute("data-value"));
    expect(shown).toBe(mediaBytes((n) => n.endsWith(".mp4")));
    await expect(page.getByTestId("figure-eventPhotos-averagePhotoBytes")).toContainText("Average photo:");
    await expect(page.getByTestId("statement-camera").filter({ hasText: "Nursery" })).toBeVisible();
  } finally {
    await motion(false).catch(() => undefined);
    await owner.delete(`/api/cameras/${cameraId}?recordings=delete`);
    for (const c of others) if (!c.privacyMode) await owner.post(`/api/cameras/${c.id}/privacy`, { data: { enabled: false } });
    await owner.dispose();
    await control.dispose();
  }
});
