// The response headers a browser enforces: a strict Content-Security-Policy (scripts only with the response's nonce)
// under which the pages still work, live video included; malformed addresses get a clear 400 with the same headers.
import { expect, test } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { ownerApi } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });

test("pages work under a strict Content-Security-Policy: no inline script without the nonce, no violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply)/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to load (CSP ${e.violatedDirective}) ${e.blockedURI}`));
  });
  const api = await ownerApi();
  const res = await api.post("/api/cameras", { data: { name: "CSP porch", mainStreamUrl: SIM.rtsp(0), subStreamUrl: SIM.rtsp(0, "sub"), username: SIM.username, password: SIM.password } });
  expect(res.status()).toBe(201);
  const { camera } = await res.json();
  try {
    const first = await page.goto("/cameras");
    const csp = first!.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(csp).not.toMatch(/unsafe-inline'[^;]*;.*script|script-src[^;]*unsafe-(inline|eval)/);
    expect(first!.headers()["x-content-type-options"]).toBe("nosniff");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    // Every script Next rendered into the page carries this response's nonce.
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((n) => n === nonce)).toBe(true);
    // The page is hydrated (forms are enabled only then) and client navigation works.
    await page.getByRole("link", { name: "CSP porch" }).first().click();
    await expect(page.getByRole("heading", { name: "CSP porch", level: 1 })).toBeVisible();
    // Live video (hls.js, MSE, blob: media) plays under the policy.
    await page.goto(`/live/${camera.id}`);
    const video = page.getByTestId("live-video");
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    expect(violations).toEqual([]);
  } finally {
    await api.delete(`/api/cameras/${camera.id}?recordings=delete`);
    await api.dispose();
  }
});

test("malformed percent-encoding in a path gets 400 with the usual headers, not a bare 500", async () => {
  const api = await ownerApi();
  for (const p of ["/api/events/%ff%fe/photo", "/live/%c0%ae%c0%ae", "/api/cameras/%E0%A4%A/snapshot"]) {
    const res = await api.get(p);
    expect(res.status(), p).toBe(400);
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["content-security-policy"]).toContain("default-src 'self'");
    expect((await res.json()).error.code).toBe("bad_request");
  }
  await api.dispose();
});
