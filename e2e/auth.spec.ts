// Sign-in, sign-out, wrong passwords, throttling, tampered sessions, and hostile requests to the JSON routes.
import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_PORT, OWNER } from "./fixtures/env";
import { createMember, ownerApi, signIn, signInAndWait } from "./fixtures/helpers";

test("sign in and out", async ({ page }) => {
  await page.goto("/live");
  await expect(page).toHaveURL(/\/login$/);
  await signInAndWait(page, OWNER.email, OWNER.password);
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Settings" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login$/);
});

test("sign out ends the session on the server: the old cookie replayed gets 401 and the login page", async ({ browser }) => {
  const member = await createMember("member", "signout-replay");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInAndWait(page, member.email, member.password);
  const saved = await context.cookies();
  expect(saved.some((c) => c.name.endsWith("next-auth.session-token"))).toBe(true);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  // Another browser holding a copy of the cookie (a shared computer, a stolen cookie): the session is over there too.
  const replay = await browser.newContext({ storageState: { cookies: saved, origins: [] } });
  const res = await replay.request.get("/api/account");
  expect(res.status()).toBe(401);
  const other = await replay.newPage();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/login$/);
  await replay.close();
  await context.close();
});

test("wrong password and unknown e-mail get the same message", async ({ page }) => {
  await signIn(page, OWNER.email, "not-the-password");
  await expect(page.getByTestId("form-error")).toHaveText("E-mail or password is incorrect.");
  await signIn(page, "nobody@nightjar.test", "not-the-password");
  await expect(page.getByTestId("form-error")).toHaveText("E-mail or password is incorrect.");
  await expect(page).toHaveURL(/\/login$/);
});

test("five wrong passwords lock the account with a retry time", async ({ page }) => {
  const member = await createMember("member", "throttled");
  for (let i = 0; i < 4; i++) {
    await signIn(page, member.email, `wrong-password-${i}`);
    await expect(page.getByTestId("form-error")).toHaveText("E-mail or password is incorrect.");
  }
  await signIn(page, member.email, "wrong-password-5");
  await expect(page.getByTestId("form-error")).toHaveText(/^Too many attempts\. Try again in (60|59|58) seconds\.$/);
  // The right password is refused while locked.
  await signIn(page, member.email, member.password);
  await expect(page.getByTestId("form-error")).toHaveText(/^Too many attempts\. Try again in \d+ seconds\.$/);
  await expect(page).toHaveURL(/\/login$/);
});

test("forms stay disabled until the page's script has taken over (no lost input, no native submit with the password in the address)", async ({ browser }) => {
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
  const raw = await noScript.newPage();
  await raw.goto("/login");
  await expect(raw.getByRole("button", { name: "Sign in" })).toBeDisabled();
  await expect(raw.getByLabel("Password", { exact: true })).toBeDisabled();
  await noScript.close();
  const live = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await live.newPage();
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await expect(page.getByLabel("Password", { exact: true })).toBeEnabled();
  // autofocus is applied once the field is enabled (the browser skips it on a disabled control).
  await expect(page.getByLabel("E-mail or username")).toBeFocused();
  await live.close();
});

test("a tampered session cookie is no session", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "next-auth.session-token", value: "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..tampered.tampered.tampered", url: "http://127.0.0.1:3217" }]);
  const page = await context.newPage();
  await page.goto("/live");
  await expect(page).toHaveURL(/\/login$/);
  expect((await context.request.get("/api/account")).status()).toBe(401);
  await context.close();
});

test("hostile requests get clear errors and change nothing", async () => {
  const api = await ownerApi();
  const big = await api.post("/api/household/invites", { headers: { "content-type": "application/json" }, data: JSON.stringify({ role: "member", pad: "x".repeat(200_000) }) });
  expect(big.status()).toBe(413);
  expect((await big.json()).error.message).toMatch(/too large/);
  const badJson = await api.post("/api/household/invites", { headers: { "content-type": "application/json" }, data: Buffer.from("{not json") });
  expect(badJson.status()).toBe(400);
  expect((await badJson.json()).error.code).toBe("bad_json");
  const form = await api.post("/api/household/invites", { form: { role: "member" } });
  expect(form.status()).toBe(415);
  const crossSite = await api.post("/api/household/invites", { headers: { origin: "https://evil.example" }, data: { role: "admin" } });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error.code).toBe("bad_origin");
  const badRole = await api.post("/api/household/invites", { data: { role: "superuser" } });
  expect(badRole.status()).toBe(400);
  expect((await badRole.json()).error.fields.role.code).toBe("invalid_value");
  const invites = await (await api.get("/api/household/invites")).json();
  expect(invites.invites.some((i: { role: string }) => i.role === "superuser")).toBe(false);
  await api.dispose();
});

/** A raw HTTP request with a Host header of our choosing (fetch and Playwright set Host themselves). */
function rawRequest(method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: E2E_PORT, method, path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("DNS rebinding: a state-changing request for a host that is not this server's is refused", async () => {
  const setup = JSON.stringify({ householdName: "Rebound", email: "attacker@rebind.example", password: "correct horse battery staple" });
  const rebound = await rawRequest("POST", "/api/setup", { host: `rebind.attacker.example:${E2E_PORT}`, origin: `http://rebind.attacker.example:${E2E_PORT}`, "content-type": "application/json" }, setup);
  expect(rebound.status).toBe(403);
  expect(JSON.parse(rebound.body).error.code).toBe("unknown_host");
  // The same request by the server's address reaches the handler (which refuses it: the household exists).
  const direct = await rawRequest("POST", "/api/setup", { host: `127.0.0.1:${E2E_PORT}`, "content-type": "application/json" }, setup);
  expect(direct.status).toBe(409);
});
