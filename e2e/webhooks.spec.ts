// Webhooks end to end: an admin adds a webhook in Settings pointing at a receiver run by this test (node:http on
// 127.0.0.1), sends a test, triggers motion on a simulated camera, and sees event.started and event.ended in the
// endpoint's delivery log; the receiver checks every request with the `standardwebhooks` library. A program manages
// webhooks through /api/v1/webhooks with a household:manage token, every JSON answer valid for its documented schema.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Webhook } from "standardwebhooks";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { bearerClient, deleteCamerasNamed } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });
// The camera this file adds goes with it (it would record through every later spec).
test.afterAll(() => deleteCamerasNamed([CAMERA]));

const SIM_CAMERA = 0;
const CAMERA = "Webhook gate";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Got = { id: string; type: string; data: Record<string, unknown>; verified: boolean };

test("a webhook added in Settings gets a signed test and the motion event's started and ended messages", async ({ page }) => {
  test.setTimeout(120_000);
  const got: Got[] = [];
  let secret = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const payload = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      got.push({ id: String(req.headers["webhook-id"]), type: payload.type, data: payload.data, verified });
      res.end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

  try {
    const add = await page.request.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
    expect(add.status()).toBe(201);
    const cameraId = ((await add.json()) as { camera: { id: string } }).camera.id;

    await page.goto("/settings");
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText("No webhooks yet.", { exact: true })).toBeVisible();
    const form = page.getByRole("region", { name: "Add a webhook" });

    // A host that does not resolve is refused at save time, with the reason at the field.
    await form.getByLabel("URL", { exact: true }).fill("http://nonexistent.invalid/hook");
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(form.getByText(/does not resolve/)).toBeVisible();

    await form.getByLabel("URL", { exact: true }).fill(receiverUrl);
    await form.getByLabel("Description").fill("e2e receiver");
    await expect(form.getByRole("checkbox", { name: /Event started/ })).toBeChecked();
    await expect(form.getByRole("checkbox", { name: /Event ended/ })).toBeChecked();
    await form.getByRole("button", { name: "Add webhook" }).click();
    const shown = page.getByTestId("webhook-secret");
    await expect(shown).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
    secret = await shown.inputValue();
    await expect(page.getByTestId("webhook-endpoint")).toHaveCount(1);
    await expect(page.getByTestId("webhook-endpoint")).toContainText(receiverUrl);

    await page.getByRole("link", { name: `Details: ${receiverUrl}` }).click();
    await expect(page.getByTestId("webhook-url")).toHaveText(receiverUrl);
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveValue(secret);

    // "Send test": delivered, signed, and in the log.
    await page.getByRole("button", { name: "Send test" }).click();
    const log = page.getByTestId("webhook-delivery");
    await expect(log.and(page.locator('[data-type="webhook.test"][data-status="delivered"]'))).toHaveCount(1, { timeout: 15_000 });
    await expect.poll(() => got.filter((g) => g.type === "webhook.test").map((g) => g.verified)).toEqual([true]);

    // Motion on the simulated camera: event.started at once, event.ended with the clip and photo links.
    await expect.poll(async () => (await (await page.request.get("/api/health")).json()).workers.recorder.ok, { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(6000); // the pre-roll fills
    const motion = async (on: boolean) => expect((await page.request.post(`${SIM.controlUrl}/cameras/${SIM_CAMERA}/motion`, { data: { on } })).ok()).toBe(true);
    await motion(true);
    await expect.poll(() => got.some((g) => g.type === "event.started" && g.data.cameraId === cameraId), { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(3000);
    await motion(false);
    await expect.poll(() => got.some((g) => g.type === "event.ended" && g.data.cameraId === cameraId), { timeout: 60_000, intervals: [1000] }).toBe(true);

    const mine = got.filter((g) => g.data.cameraId === cameraId);
    expect(mine.every((g) => g.verified)).toBe(true);
    const started = mine.find((g) => g.type === "event.started")!;
    const ended = mine.find((g) => g.type === "event.ended")!;
    expect(ended.data.eventId).toBe(started.data.eventId);
    expect(ended.data.cameraName).toBe(CAMERA);
    const clips = ended.data.clips as { url: string }[];
    expect(clips.length).toBeGreaterThan(0);
    expect(clips[0].url).toMatch(new RegExp(`/api/v1/events/${String(ended.data.eventId)}/clips/1$`));
    expect(ended.data.photoUrl).toMatch(/\/api\/v1\/events\/.+\/photo$/);
    expect(JSON.stringify(mine)).not.toContain(SIM.password);

    // Both are in the endpoint's log (it refreshes itself), delivered.
    for (const g of [started, ended]) await expect(page.locator(`[data-testid="webhook-delivery"][data-message-id="${g.id}"][data-status="delivered"]`)).toHaveCount(1, { timeout: 10_000 });

    // Delete: the endpoint and its log go.
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText("No webhooks yet.", { exact: true })).toBeVisible();
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test("a program with a household:manage token manages webhooks; another scope may not", async ({ page }) => {
  const token = async (scopes: string[]) => {
    const res = await page.request.post("/api/account/tokens", { data: { name: `webhooks ${scopes.join(" ")}`, scopes } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  const manage = await token(["household:manage"]);
  const read = await token(["events:read"]);
  // A plain HTTP client: no cookies, only the token.
  const clients = new Map<string, APIRequestContext>();
  for (const t of [manage, read]) clients.set(t, await bearerClient(t));
  const call = (t: string, path: string, init: { method?: string; json?: unknown } = {}) =>
    clients.get(t)!.fetch(path, { method: init.method ?? (init.json === undefined ? "GET" : "POST"), data: init.json });
  const server = http.createServer((_req, res) => res.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    // Every JSON answer against its operation's documented response schema, from the served document.
    const doc = (await (await call(read, "/api/openapi.json")).json()) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });
    const documented = async (res: APIResponse, operationId: string, status: number): Promise<Json> => {
      expect(res.status(), `${operationId}: ${await res.text()}`).toBe(status);
      const [p, method] = Object.entries(doc.paths as Json).flatMap(([p, item]) => Object.keys(item as Json).map((m) => [p, m])).find(([p, m]) => doc.paths[p][m].operationId === operationId)!;
      const pointer = ["paths", p, method, "responses", String(status), "content", "application/json", "schema"].map((x) => x.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
      const validate = ajv.compile({ $ref: `https://nightjar.test/openapi.json#/${pointer}` });
      const body = await res.json();
      expect(validate(body), `${operationId} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
      return body as Json;
    };

    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/program`;
    expect((await call(read, "/api/v1/webhooks")).status()).toBe(403);
    const { endpoint, secret } = await documented(await call(manage, "/api/v1/webhooks", { json: { url, eventTypes: ["camera.offline", "camera.online"] } }), "createWebhook", 201);
    expect(secret).toMatch(/^whsec_/);
    const base = `/api/v1/webhooks/${endpoint.id}`;
    expect(((await documented(await call(manage, "/api/v1/webhooks"), "listWebhooks", 200)).endpoints as { id: string }[]).map((e) => e.id)).toContain(endpoint.id);
    expect((await documented(await call(manage, base), "getWebhook", 200)).endpoint.eventTypes).toEqual(["camera.offline", "camera.online"]);
    expect((await documented(await call(manage, `${base}/secret`), "getWebhookSecret", 200)).secret).toBe(secret);
    const rotated = (await documented(await call(manage, `${base}/rotate-secret`, { method: "POST" }), "rotateWebhookSecret", 200)).secret;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    const { deliveryId } = await documented(await call(manage, `${base}/test`, { method: "POST" }), "sendWebhookTest", 202);
    expect(((await documented(await call(manage, `${base}/deliveries`), "listWebhookDeliveries", 200)).deliveries as { id: string }[]).map((d) => d.id)).toContain(deliveryId);
    expect((await call(manage, `${base}/deliveries?before=yesterday`)).status()).toBe(400);
    const patched = await documented(await call(manage, base, { method: "PATCH", json: { enabled: false } }), "updateWebhook", 200);
    expect([patched.endpoint.enabled, patched.changed]).toEqual([false, ["enabled"]]);
    expect((await call(read, base, { method: "DELETE" })).status()).toBe(403);
    await documented(await call(manage, base, { method: "DELETE" }), "deleteWebhook", 200);
    expect((await call(manage, base)).status()).toBe(404);
    // The app's old unversioned paths are gone: programs use /api/v1 only.
    expect((await call(manage, "/api/webhooks")).status()).toBe(404);
  } finally {
    for (const c of clients.values()) await c.dispose();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
