// Steering a camera that can pan, tilt and zoom, in the browser: the simulator's PTZ camera (SIM.ptzCamera) added through
// ONVIF (identify finds its PTZ service), moved with the hold-to-move arrows and the keyboard, the position it reports
// shown under the live view and equal to where the simulated head points (read through the simulator's control API);
// saved positions saved, recalled, renamed and deleted; a viewer gets no controls and the API refuses them; a fixed
// camera answers 409. The picture follows the head: a snapshot after a move differs from the one before.
import { spawnSync } from "node:child_process";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { createMember, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });

type Vector = { pan: number; tilt: number; zoom: number };

/** The camera's snapshot (the app's route), shrunk by ffmpeg to 32×18 grey pixels: enough to see the picture move. */
async function snapshotPixels(api: APIRequestContext, cameraId: string): Promise<Uint8Array> {
  const res = await api.get(`/api/cameras/${cameraId}/snapshot`);
  expect(res.status()).toBe(200);
  const r = spawnSync("ffmpeg", ["-v", "error", "-i", "pipe:0", "-vf", "scale=32:18", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"], { input: await res.body(), maxBuffer: 1 << 20 });
  expect(r.status, String(r.stderr)).toBe(0);
  return new Uint8Array(r.stdout);
}
const meanDifference = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
async function head(request: APIRequestContext): Promise<Vector> {
  const res = await request.get(`${SIM.controlUrl}/cameras/${SIM.ptzCamera}`);
  expect(res.ok()).toBe(true);
  return (await res.json()).ptz as Vector;
}

test("hold to move, keyboard, saved positions; members steer too, viewers cannot", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const api = page.request;
  const identity = await api.post("/api/cameras/onvif", { data: { xaddr: SIM.onvif(SIM.ptzCamera), username: SIM.username, password: SIM.password } });
  expect(identity.status()).toBe(200);
  const id = await identity.json();
  expect(id.ptz).toEqual({ xaddr: `http://${SIM.host(SIM.ptzCamera)}:8000/onvif/ptz_service`, profileToken: "main" });
  const main = id.profiles.find((p: { token: string }) => p.token === id.mainToken);
  const created = await api.post("/api/cameras", { data: { name: "Turret", mainStreamUrl: main.streamUri, username: SIM.username, password: SIM.password, onvifUrl: id.deviceXaddr, ptz: id.ptz } });
  expect(created.status()).toBe(201);
  const camera = (await created.json()).camera as { id: string; hasPtz: boolean };
  expect(camera.hasPtz).toBe(true);
  // Start from the middle, whatever an earlier run left.
  expect((await api.post(`/api/cameras/${camera.id}/ptz`, { data: { action: "absolute", pan: 0, tilt: 0, zoom: 0 } })).status()).toBe(200);

  await page.goto(`/live/${camera.id}`);
  const controls = page.getByRole("region", { name: "Pan, tilt and zoom" });
  const position = controls.getByTestId("ptz-position");
  await expect(position).toHaveAttribute("data-pan", "0");

  // Hold "Pan right": the head pans right while the button is down and stops when it is let go.
  const right = controls.getByRole("button", { name: "Pan right" });
  await right.hover();
  await page.mouse.down();
  await expect(right).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await head(request)).pan, { timeout: 15_000 }).toBeGreaterThan(0.05);
  await page.mouse.up();
  await expect(right).toHaveAttribute("aria-pressed", "false");
  await expect.poll(async () => (await (await api.get(`/api/cameras/${camera.id}/ptz`)).json()).ptz.moving).toBe(false);
  const afterPan = await head(request);
  expect(afterPan.tilt).toBe(0);
  // The page shows where the head points (read again every second).
  await expect.poll(async () => Number(await position.getAttribute("data-pan"))).toBe(afterPan.pan);
  await expect(position).toHaveAttribute("data-moving", "false");

  // The keyboard: ArrowUp held on the controls tilts up; + zooms in.
  await controls.getByRole("button", { name: "Tilt up" }).focus();
  await page.keyboard.down("ArrowUp");
  await expect.poll(async () => (await head(request)).tilt, { timeout: 15_000 }).toBeGreaterThan(0.05);
  await page.keyboard.up("ArrowUp");
  await page.keyboard.down("+");
  await expect.poll(async () => (await head(request)).zoom, { timeout: 15_000 }).toBeGreaterThan(0.05);
  await page.keyboard.up("+");
  await expect.poll(async () => (await (await api.get(`/api/cameras/${camera.id}/ptz`)).json()).ptz.moving).toBe(false);
  const saved = await head(request);

  // Save this position; a second one with the same name (any case) is refused with the field's message.
  const name = controls.getByRole("textbox", { name: "Name of this position" });
  await name.fill("Gate");
  await controls.getByRole("button", { name: "Save this position" }).click();
  await expect(controls.getByText("Saved “Gate”.")).toBeVisible();
  await expect(controls.getByRole("button", { name: "Go to Gate" })).toBeVisible();
  await name.fill("gate");
  await controls.getByRole("button", { name: "Save this position" }).click();
  await expect(controls.getByText("Another saved position of this camera has this name.")).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");

  // Move away: the picture moves with the head (the simulator shows the view of the new position); then go back.
  const before = await snapshotPixels(api, camera.id);
  expect((await api.post(`/api/cameras/${camera.id}/ptz`, { data: { action: "absolute", pan: -0.75, tilt: -0.5, zoom: 0 } })).status()).toBe(200);
  await expect.poll(async () => Number(await position.getAttribute("data-pan"))).toBe(-0.75);
  await expect.poll(async () => (await (await request.get(`${SIM.controlUrl}/cameras/${SIM.ptzCamera}`)).json()).ptzView, { timeout: 30_000 }).toBe("p-0.75_t-0.5_z0");
  await expect.poll(async () => meanDifference(before, await snapshotPixels(api, camera.id)), { timeout: 30_000 }).toBeGreaterThan(10);
  await controls.getByRole("button", { name: "Go to Gate" }).click();
  await expect.poll(async () => head(request)).toEqual(saved);

  // Rename (the camera does not move), then delete after confirming.
  await controls.getByRole("button", { name: "Rename Gate" }).click();
  await controls.getByRole("textbox", { name: "New name for Gate" }).fill("Front gate");
  await controls.getByRole("button", { name: "Save name" }).click();
  await expect(controls.getByRole("button", { name: "Go to Front gate" })).toBeVisible();
  expect(await head(request)).toEqual(saved);
  page.once("dialog", (d) => void d.accept());
  await controls.getByRole("button", { name: "Delete Front gate" }).click();
  await expect(controls.getByText("No saved positions yet.")).toBeVisible();
  await controls.screenshot({ path: test.info().outputPath("ptz-controls.png") });

  // The camera's page says it can pan, tilt and zoom, and can ask it again.
  await page.goto(`/cameras/${camera.id}`);
  const detect = page.getByRole("region", { name: "Pan, tilt and zoom" });
  await expect(detect.getByTestId("ptz-detected")).toHaveText("This camera can pan, tilt or zoom: its controls are under its live view.");
  await detect.getByRole("button", { name: "Ask the camera again" }).click();
  await expect(detect.getByTestId("ptz-detected")).toHaveText(/can pan, tilt or zoom/);
  await expect(detect.getByRole("button", { name: "Ask the camera again" })).toBeEnabled();

  // Every move and preset change is in the activity log.
  const activity = await (await api.get("/api/activity?scope=household&limit=200")).json();
  const actions = (activity.items as { action: string; camera: { id: string } | null }[]).filter((a) => a.camera?.id === camera.id).map((a) => a.action);
  for (const action of ["ptz.move", "ptz.preset_saved", "ptz.goto_preset", "ptz.preset_renamed", "ptz.preset_deleted"]) expect(actions, action).toContain(action);

  // A member who sees the camera steers it too; two people steering: the last command wins, both see where it points.
  const member = await createMember("member", "ptzdriver");
  const viewerPage = await createMember("viewer", "ptzwatcher");
  expect((await api.put(`/api/cameras/${camera.id}/access`, { data: { userIds: [member.id, viewerPage.id] } })).status()).toBe(200);
  const mine = await signedInPage(browser, member.email, member.password);
  await mine.goto(`/live/${camera.id}`);
  const theirControls = mine.getByRole("region", { name: "Pan, tilt and zoom" });
  expect((await api.post(`/api/cameras/${camera.id}/ptz`, { data: { action: "absolute", pan: 0.5, tilt: 0, zoom: 0 } })).status()).toBe(200);
  await expect.poll(async () => Number(await theirControls.getByTestId("ptz-position").getAttribute("data-pan")), { timeout: 15_000 }).toBe(0.5);
  const theirLeft = theirControls.getByRole("button", { name: "Pan left" });
  await theirLeft.hover();
  await mine.mouse.down();
  await expect.poll(async () => (await head(request)).pan, { timeout: 15_000 }).toBeLessThan(0.45);
  await mine.mouse.up();
  await expect.poll(async () => (await (await api.get(`/api/cameras/${camera.id}/ptz`)).json()).ptz.moving).toBe(false);
  const afterMember = (await head(request)).pan;
  expect((await (await api.get(`/api/cameras/${camera.id}/ptz`)).json()).ptz.position.pan).toBe(afterMember);
  await mine.context().close();

  // A viewer who sees the camera watches it, with no controls; the API refuses their commands.
  const viewer = viewerPage;
  const theirs = await signedInPage(browser, viewer.email, viewer.password);
  await theirs.goto(`/live/${camera.id}`);
  await expect(theirs.getByRole("heading", { name: "Turret" })).toBeVisible();
  await expect(theirs.getByRole("region", { name: "Pan, tilt and zoom" })).toHaveCount(0);
  expect((await theirs.request.post(`/api/cameras/${camera.id}/ptz`, { data: { action: "stop" } })).status()).toBe(403);
  await theirs.context().close();

  // A camera without a head: no controls, 409 from the API.
  const fixed = await api.post("/api/cameras", { data: { name: "Fixed", mainStreamUrl: SIM.rtsp(0), username: SIM.username, password: SIM.password } });
  const fixedId = (await fixed.json()).camera.id as string;
  expect((await api.get(`/api/cameras/${fixedId}/ptz`)).status()).toBe(409);
  await page.goto(`/live/${fixedId}`);
  await expect(page.getByRole("heading", { name: "Fixed" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Pan, tilt and zoom" })).toHaveCount(0);

  for (const cameraId of [camera.id, fixedId]) expect((await api.delete(`/api/cameras/${cameraId}?recordings=delete`)).status()).toBe(200);
});
