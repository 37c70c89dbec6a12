// MQTT end to end: the spec starts Debian's mosquitto (user/password auth) on a free port; the owner fills in
// Settings → MQTT through the page, saves and tests the connection. A subscriber sees the retained "<base>/status"
// online and the retained Home Assistant discovery config of a camera the spec added; "<base>/<cameraId>/armed/set"
// OFF disarms the camera (as the app's API shows) and a malformed payload changes nothing. Pointed at a closed port,
// the page shows the error status. Camera, MQTT settings and mosquitto are cleaned up at the end.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { freePort, startBroker, subscriber, type Broker } from "../lib/mqtt/broker.testing";
import { OWNER_STATE, SIM } from "./fixtures/env";

test.use({ storageState: OWNER_STATE });

/** No other spec triggers motion on this simulated camera while this one runs (workers: 1); only its stream is read. */
const SIM_CAMERA = 2;
const CAMERA = "MQTT porch";
const BASE = "e2e-house";
const PREFIX = "homeassistant";

test("the owner connects Nightjar to a broker and Home Assistant sees and controls a camera", async ({ page }) => {
  test.setTimeout(180_000);
  let broker: Broker | null = null;
  let sub: Awaited<ReturnType<typeof subscriber>> | null = null;
  let cameraId: string | null = null;
  try {
    broker = await startBroker();
    const add = await page.request.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
    expect(add.ok()).toBe(true);
    cameraId = ((await add.json()) as { camera: { id: string } }).camera.id;

    await page.goto("/settings/mqtt");
    await expect(page.getByRole("heading", { name: "MQTT", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "MQTT" });
    await form.getByLabel("Connect to an MQTT broker").check();
    await form.getByLabel("Broker host").fill("127.0.0.1");
    await form.getByLabel("Port", { exact: true }).fill(String(broker.port));
    await expect(form.getByLabel("Use TLS")).not.toBeChecked();
    await form.getByLabel(/^User name/).fill(broker.user);
    await expect(form.getByText("No password is stored.")).toBeVisible();
    await form.getByLabel(/^Password/).fill(broker.password);
    await form.getByLabel("Base topic").fill(BASE);
    await expect(form.getByLabel("Home Assistant discovery prefix")).toHaveValue(PREFIX);

    const result = form.getByRole("status", { name: "Connection test" });
    await form.getByRole("button", { name: "Test connection" }).click();
    await expect(result).toHaveText("Connected to the broker.", { timeout: 20_000 });

    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("MQTT settings saved.", { exact: false })).toBeVisible();
    // Write-only password: the page says one is stored and the field is empty again.
    await expect(form.getByText("A password is stored. Leave empty to keep it.")).toBeVisible();
    await expect(form.getByLabel(/^Password/)).toHaveValue("");
    // The notifier worker picks the settings up and connects; the page's status follows without a reload.
    await expect(page.getByTestId("mqtt-status").locator("[data-state]")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
    await expect(page.getByTestId("mqtt-topics")).toContainText(`${BASE}/status`);
    await expect(page.getByTestId("mqtt-topics")).toContainText(`${BASE}/<cameraId>/motion`);
    // A stored password is kept when the field stays empty: the test with the saved settings still connects.
    await form.getByRole("button", { name: "Test connection" }).click();
    await expect(result).toHaveText("Connected to the broker.", { timeout: 20_000 });

    // A subscriber that connects now gets the retained messages with the retain flag.
    sub = await subscriber(broker.port, [`${BASE}/#`, `${PREFIX}/#`]);
    const s = sub;
    const id = cameraId;
    await expect.poll(() => s.last(`${BASE}/status`)?.payload.toString() ?? null, { timeout: 30_000 }).toBe("online");
    expect(s.last(`${BASE}/status`)?.retain).toBe(true);
    const configOf = () => s.messages.find((m) => m.topic.startsWith(`${PREFIX}/binary_sensor/`) && m.topic.endsWith(`/${id}_motion/config`) && m.payload.length > 0);
    await expect.poll(() => !!configOf(), { timeout: 30_000 }).toBe(true);
    const config = JSON.parse(configOf()!.payload.toString()) as { state_topic: string; device_class: string; device: { name: string } };
    expect(configOf()!.retain).toBe(true);
    expect(config).toMatchObject({ state_topic: `${BASE}/${id}/motion`, device_class: "motion", device: { name: CAMERA } });
    await expect.poll(() => s.last(`${BASE}/${id}/armed`)?.payload.toString() ?? null, { timeout: 30_000 }).toBe("ON");

    // A command disarms the camera, as the app's API shows.
    const armed = async () => ((await (await page.request.get(`/api/cameras/${id}/motion`)).json()) as { armed: boolean }).armed;
    expect(await armed()).toBe(true);
    await s.publish(`${BASE}/${id}/armed/set`, "OFF");
    await expect.poll(armed, { timeout: 30_000 }).toBe(false);
    await expect.poll(() => s.last(`${BASE}/${id}/armed`)?.payload.toString() ?? null, { timeout: 30_000 }).toBe("OFF");

    // A malformed payload changes nothing: after it, a valid command on another switch takes effect (commands are
    // handled in order), and the camera is still disarmed.
    const mark = s.messages.length;
    await s.publish(`${BASE}/${id}/armed/set`, "PERHAPS");
    await s.publish(`${BASE}/${id}/recording/set`, "OFF");
    await expect.poll(() => s.last(`${BASE}/${id}/recording`)?.payload.toString() ?? null, { timeout: 30_000 }).toBe("OFF");
    expect(await armed()).toBe(false);
    expect(s.messages.slice(mark).filter((m) => m.topic === `${BASE}/${id}/armed` && m.payload.toString() !== "OFF")).toHaveLength(0);

    // Pointed at a closed port, the page shows the error: the test reports it, and the live status turns to error.
    const closed = await freePort();
    await form.getByLabel("Port", { exact: true }).fill(String(closed));
    await form.getByRole("button", { name: "Test connection" }).click();
    await expect(result).toContainText("The connection failed (broker unreachable)", { timeout: 20_000 });
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("MQTT settings saved.", { exact: false })).toBeVisible();
    await expect(page.getByTestId("mqtt-status").locator("[data-state]")).toHaveAttribute("data-state", "error", { timeout: 30_000 });
    await expect(page.getByTestId("mqtt-status")).toContainText("unreachable");
  } finally {
    await sub?.close().catch(() => {});
    if (cameraId) await page.request.delete(`/api/cameras/${cameraId}`);
    await page.request.put("/api/household/mqtt", { data: { enabled: false, host: "", port: 1883, tls: false, tlsAllowSelfSigned: false, username: null, password: null } });
    await broker?.stop();
    if (broker) fs.rmSync(broker.dir, { recursive: true, force: true });
  }
});
