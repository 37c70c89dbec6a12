// The installable app and push, end to end in Chromium: the manifest and its icons (real PNGs of the stated sizes)
// without a session and without anything of the household in them; the service worker registers on a page of the app,
// becomes active, caches only the offline page and icons, and answers a navigation with the offline page when the
// network is gone; the push routes (key, subscribe with validation, list, test, remove).
// Not covered here: a real browser subscription. Chromium's pushManager.subscribe() needs its maker's push service,
// which this machine cannot reach; the encryption and VAPID signing are checked against a decrypting receiver in
// lib/push/push.test.ts instead.
import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_BASE_URL, OWNER, OWNER_STATE } from "./fixtures/env";
import { anonymousClient } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.subarray(12, 16).toString("ascii") !== "IHDR") return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("the manifest is public, says nothing of the household, and every icon is a PNG of its stated size", async ({ page }) => {
  const anonymous = await anonymousClient();
  try {
    const res = await anonymous.get("/manifest.webmanifest");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/application\/manifest\+json/);
    const text = await res.text();
    for (const secret of ["The Nest", OWNER.email, OWNER.name]) expect(text).not.toContain(secret);
    const manifest = JSON.parse(text) as { name: string; start_url: string; display: string; scope: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ name: "Nightjar", start_url: "/live", display: "standalone", scope: "/" });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(["192x192 any", "192x192 maskable", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const got = await anonymous.get(icon.src);
      expect(got.status(), icon.src).toBe(200);
      expect(got.headers()["content-type"]).toBe("image/png");
      const [w, h] = icon.sizes.split("x").map(Number);
      expect(pngSize(await got.body()), icon.src).toEqual({ width: w, height: h });
    }

    // The service worker script and the offline page are public too; the offline page loads nothing from elsewhere.
    const sw = await anonymous.get("/sw.js");
    expect(sw.status()).toBe(200);
    expect(sw.headers()["content-type"]).toMatch(/javascript/);
    const offline = await anonymous.get("/offline.html");
    expect(offline.status()).toBe(200);
    expect(offline.headers()["content-type"]).toMatch(/text\/html/);
    const html = await offline.text();
    expect(html).toContain("You are offline");
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<script/i);
  } finally {
    await anonymous.dispose();
  }

  // Every page links the manifest (the sign-in page too, so the app can be installed from there).
  await page.goto("/live");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", /\/manifest\.webmanifest/);
});

test("the service worker becomes active, caches only the offline page and icons, and shows the offline page without network", async ({ page, context }) => {
  await page.goto("/live");
  const registration = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, state: reg.active?.state ?? null, script: reg.active?.scriptURL ?? null };
    });
  // ready resolves once there is an active worker, which may still be "activating" (clearing old caches) for a moment.
  await expect.poll(registration).toEqual({ scope: `${E2E_BASE_URL}/`, state: "activated", script: `${E2E_BASE_URL}/sw.js` });
  // Controlled once the worker claimed the page (clients.claim on activate).
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${E2E_BASE_URL}/sw.js`);

  // Browse a few pages and call the API through the worker: none of it may end up in a cache.
  await page.goto("/events");
  await page.goto("/account");
  expect((await page.request.get("/api/account/push/subscriptions")).status()).toBe(200);
  await page.evaluate(() => fetch("/api/account/push/subscriptions").then((r) => r.text()));
  const cached = await page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
    return out.sort();
  });
  expect(cached).toEqual(["/icons/badge-96.png", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-192.png", "/icons/maskable-512.png", "/offline.html"]);

  await context.setOffline(true);
  try {
    await page.goto("/events");
    await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  await page.goto("/events");
  await expect(page.getByRole("heading", { name: "You are offline" })).toHaveCount(0);
});

/** A browser's subscription keys, made here like a browser would (P-256 point and 16-byte auth secret). */
function browserKeys() {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString("base64url"), auth: crypto.randomBytes(16).toString("base64url") };
}

test("push routes: the key, subscribing with validation, the device list, a test send, removing", async ({ page }) => {
  const api = page.request;
  const key = await api.get("/api/account/push/key");
  expect(key.status()).toBe(200);
  const { publicKey } = (await key.json()) as { publicKey: string };
  expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);
  expect((await (await api.get("/api/account/push/key")).json()).publicKey).toBe(publicKey);

  // Bad input: 400 with the field that is wrong.
  const bad = [
    [{ endpoint: "http://push.example.invalid/x", keys: browserKeys() }, "endpoint"],
    [{ endpoint: "https://10.0.0.1/x", keys: browserKeys() }, "endpoint"],
    [{ endpoint: "https://push.example.invalid/x", keys: { ...browserKeys(), p256dh: "AAAA" } }, "keys.p256dh"],
    [{ endpoint: "https://push.example.invalid/x", keys: { ...browserKeys(), auth: "short" } }, "keys.auth"],
    [{ endpoint: "https://push.example.invalid/x" }, "keys"],
  ] as const;
  for (const [data, field] of bad) {
    const res = await api.post("/api/account/push/subscriptions", { data });
    expect(res.status(), JSON.stringify(data)).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toContain(field);
  }

  const endpoint = `https://push.example.invalid/e2e/${crypto.randomBytes(8).toString("hex")}`;
  const add = await api.post("/api/account/push/subscriptions", { data: { endpoint, keys: browserKeys(), expirationTime: null } });
  expect(add.status()).toBe(201);
  const { device } = (await add.json()) as { device: { id: string; label: string | null } };
  expect(device.label).toBe("Chrome · Windows"); // Playwright's "Desktop Chrome" device says Windows
  const list = (await (await api.get("/api/account/push/subscriptions")).json()) as { devices: { id: string; endpoint: string }[] };
  expect(list.devices.map((d) => d.endpoint)).toContain(endpoint);

  // The test send reaches no push service here (the host does not resolve): failed, with the reason, the device kept.
  const sent = await api.post("/api/account/push/test");
  expect(sent.status()).toBe(200);
  const result = (await sent.json()) as { sent: number; removed: number; failed: string[] };
  expect(result.sent).toBe(0);
  expect(result.removed).toBe(0);
  expect(result.failed).toHaveLength(1);
  expect(result.failed[0]).toMatch(/^Chrome · Windows: /);

  expect((await api.delete(`/api/account/push/subscriptions/${device.id}`)).status()).toBe(200);
  expect((await api.delete(`/api/account/push/subscriptions/${device.id}`)).status()).toBe(404);

  const anonymous = await anonymousClient();
  expect((await anonymous.get("/api/account/push/key")).status()).toBe(401);
  expect((await anonymous.post("/api/account/push/subscriptions", { data: { endpoint, keys: browserKeys() } })).status()).toBe(401);
  await anonymous.dispose();
});
