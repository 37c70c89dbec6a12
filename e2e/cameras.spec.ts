// Cameras with real simulated ONVIF cameras: discover and add, add by URL, bad input, per-camera access, roles.
import { expect, test, type Page } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, deleteCamerasNamed, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
// The cameras this file adds go with it (they would record through every later spec).
test.afterAll(() => deleteCamerasNamed(["Front door", "Garden"]));
test.describe.configure({ mode: "serial" });

async function cameraIdFromUrl(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/cameras\/[A-Za-z0-9_-]{22}$/);
  return page.url().split("/").pop()!;
}

test("discover a simulated camera, sign in to it, add it; it goes online", async ({ page }) => {
  await page.goto("/cameras");
  await page.getByRole("link", { name: "Add camera" }).click();
  await expect(page.getByRole("tab", { name: "Search the network" })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /cameras? found/ })).toHaveText(`${SIM.cameras} cameras found.`, { timeout: 15_000 });
  await expect(page.getByRole("progressbar", { name: "Search progress" })).toHaveAttribute("aria-valuenow", "100");
  const row = page.getByTestId(`found-${SIM.host(0)}`);
  await row.getByRole("button", { name: /^Select:/ }).click();

  await page.getByLabel("Camera user name").fill(SIM.username);
  await page.getByLabel("Camera password").fill("wrong-password");
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("The camera refused the user name or password.");
  await page.getByLabel("Camera password").fill(SIM.password);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("identified-model")).not.toBeEmpty();
  await page.getByLabel("Camera name").fill("Front door");
  await page.getByRole("button", { name: "Add camera" }).click();
  await cameraIdFromUrl(page);
  await expect(page.getByRole("heading", { name: "Front door", level: 1 })).toBeVisible();
  await expect(page.getByTestId("camera-status")).toHaveAttribute("data-state", "online", { timeout: 20_000 });
  await expect(page.getByTestId("diagnostics").locator("tr[data-kind=added]")).toHaveCount(1);
  await expect(page.getByTestId("diagnostics").locator("tr[data-kind=online]")).toHaveCount(1);

  // Searching again marks it as already added.
  await page.goto("/cameras/add");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId(`found-${SIM.host(0)}`)).toContainText("Already added", { timeout: 15_000 });
});

test("add a camera by its RTSP URL after checking the stream", async ({ page }) => {
  await page.goto("/cameras/add");
  await page.getByRole("tab", { name: "Enter a stream address" }).click();
  await page.getByLabel("Stream address", { exact: true }).fill(SIM.rtsp(1));
  await page.getByLabel(/^Camera user name/).fill(SIM.username);
  await page.getByLabel(/^Camera password/).fill(SIM.password);
  await page.getByRole("button", { name: "Check stream" }).click();
  await expect(page.getByTestId("probe-result")).toContainText("H264 · 1920×1080", { timeout: 20_000 });
  await expect(page.getByTestId("probe-result")).toContainText("Audio: none");
  await page.getByLabel("Camera name").fill("Garden");
  await page.getByRole("button", { name: "Add camera" }).click();
  const id = await cameraIdFromUrl(page);
  await expect(page.getByTestId("camera-status")).toHaveAttribute("data-state", "online", { timeout: 20_000 });
  // The activity log says which camera was added.
  const activity = await (await page.request.get("/api/activity?scope=me&limit=20")).json();
  const added = activity.items.find((a: { action: string; camera: { id: string; name: string } | null }) => a.action === "camera.added" && a.camera?.id === id);
  expect(added?.camera.name).toBe("Garden");
});

test("bad URLs, dead hosts and wrong passwords get clear errors and save nothing", async ({ page }) => {
  await page.goto("/cameras/add");
  await page.getByRole("tab", { name: "Enter a stream address" }).click();
  const url = page.getByLabel("Stream address", { exact: true });
  const check = page.getByRole("button", { name: "Check stream" });

  await url.fill("http://192.0.2.1/video");
  await check.click();
  await expect(page.getByText("Use an rtsp:// or rtsps:// address.", { exact: true })).toBeVisible();

  await url.fill("not a url at all");
  await check.click();
  await expect(page.getByText("Enter a valid address.", { exact: true })).toBeVisible();

  await url.fill("rtsp://127.0.0.99:8554/main");
  await check.click();
  await expect(page.getByTestId("form-error")).toHaveText("The camera cannot be reached at that address. Check the address and that the camera is on.", { timeout: 15_000 });

  await url.fill(SIM.rtsp(2));
  await page.getByLabel(/^Camera user name/).fill(SIM.username);
  await page.getByLabel(/^Camera password/).fill("not-the-password");
  await check.click();
  await expect(page.getByTestId("form-error")).toHaveText("The camera refused the user name or password.", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Add camera" })).toBeDisabled();

  // The API refuses the same without saving anything.
  const before = (await (await page.request.get("/api/cameras")).json()).cameras.length;
  const res = await page.request.post("/api/cameras", { data: { name: "Ghost", mainStreamUrl: "rtsp://127.0.0.99:8554/main" } });
  expect(res.status()).toBe(422);
  expect((await res.json()).error.code).toBe("camera_unreachable");
  expect((await (await page.request.get("/api/cameras")).json()).cameras.length).toBe(before);

  await page.getByRole("tab", { name: "Scan an address range" }).click();
  await page.getByRole("textbox", { name: "Address range" }).fill("10.0.0.0/16");
  await page.getByRole("button", { name: "Scan" }).click();
  await expect(page.getByText("At most 1024 addresses.", { exact: true })).toBeVisible();
});

test("a member without access does not see a camera and gets 403; granted, they do", async ({ page, browser }) => {
  const member = await createMember("member", "camwatcher");
  const cameras = (await (await page.request.get("/api/cameras")).json()).cameras as { id: string; name: string }[];
  const garden = cameras.find((c) => c.name === "Garden")!;
  const theirs = await signedInPage(browser, member.email, member.password);
  await theirs.goto("/cameras");
  await expect(theirs.getByText("No cameras added yet.", { exact: true })).toBeVisible();
  expect((await theirs.request.get(`/api/cameras/${garden.id}`)).status()).toBe(403);
  expect((await theirs.request.get(`/api/cameras/${garden.id}/diagnostics`)).status()).toBe(403);
  expect((await theirs.goto(`/cameras/${garden.id}`))?.status()).toBe(403);
  expect((await theirs.request.get("/api/cameras/no-such-camera-id-0000")).status()).toBe(404);

  await page.goto(`/cameras/${garden.id}`);
  const access = page.getByRole("region", { name: "Who can see this camera" });
  await access.getByLabel(new RegExp(member.email.replace(/[.]/g, "\\."))).check();
  await access.getByRole("button", { name: "Save access" }).click();
  await expect(access.getByRole("status")).toHaveText("Access saved.");

  await theirs.goto("/cameras");
  await expect(theirs.getByTestId("camera-Garden")).toBeVisible();
  expect((await theirs.request.get(`/api/cameras/${garden.id}`)).status()).toBe(200);
  // Members still cannot change cameras.
  expect((await theirs.request.patch(`/api/cameras/${garden.id}`, { data: { name: "Mine" } })).status()).toBe(403);
  await theirs.context().close();
});

test("a viewer cannot add cameras", async ({ browser }) => {
  const viewer = await createMember("viewer", "camviewer");
  const page = await signedInPage(browser, viewer.email, viewer.password);
  await page.goto("/cameras");
  await expect(page.getByRole("link", { name: "Add camera" })).toHaveCount(0);
  expect((await page.goto("/cameras/add"))?.status()).toBe(403);
  for (const [path, data] of [
    ["/api/cameras", { name: "X", mainStreamUrl: SIM.rtsp(2) }],
    ["/api/cameras/probe", { url: SIM.rtsp(2) }],
    ["/api/cameras/discovery", { mode: "multicast" }],
    ["/api/cameras/onvif", { xaddr: `http://${SIM.host(2)}:8000/onvif/device_service`, username: "a", password: "b" }],
  ] as const) {
    expect((await page.request.post(path, { data })).status(), path).toBe(403);
  }
  await page.context().close();
});

test("an outage flips the camera offline and back online", async ({ page, request }) => {
  const cameras = (await (await page.request.get("/api/cameras")).json()).cameras as { id: string; name: string }[];
  const front = cameras.find((c) => c.name === "Front door")!;
  await page.goto(`/cameras/${front.id}`);
  await expect(page.getByTestId("camera-status")).toHaveAttribute("data-state", "online", { timeout: 20_000 });
  expect((await request.post(`${SIM.controlUrl}/cameras/0/outage`, { data: { mode: "refuse" } })).ok()).toBe(true);
  try {
    await expect(page.getByTestId("camera-status")).toHaveAttribute("data-state", "offline", { timeout: 20_000 });
    await expect(page.getByTestId("diagnostics").locator("tr[data-kind=offline]")).toHaveCount(1);
  } finally {
    await request.post(`${SIM.controlUrl}/cameras/0/outage`, { data: { mode: "off" } });
  }
  await expect(page.getByTestId("camera-status")).toHaveAttribute("data-state", "online", { timeout: 20_000 });
});
