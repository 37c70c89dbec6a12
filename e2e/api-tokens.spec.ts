// Personal access tokens end to end: a member creates a token in Account → API tokens (shown once), a plain HTTP
// client without cookies uses it, a token without the route's scope gets 403, a session-only route and bad tokens get
// 401 with WWW-Authenticate, a bearer beside a session cookie is what counts, a bearer never opens a page; the member
// revokes it in the UI and it gets 401; an admin sees every member's tokens in Settings → API tokens and revokes one.
import { expect, request, test } from "@playwright/test";
import { E2E_BASE_URL, OWNER_STATE } from "./fixtures/env";
import { bearerClient, createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.describe.configure({ mode: "serial" });


const BEARER_CHALLENGE = 'Bearer realm="nightjar"';

test("create a token in the UI, use it from a plain HTTP client, revoke it in the UI: 401", async ({ browser }) => {
  const member = await createMember("member", "tokens");
  const page = await signedInPage(browser, member.email, member.password);
  await page.goto("/account");
  await page.getByRole("navigation", { name: "Account sections" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/account\/tokens$/);
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

  // A member's role holds events:read and live:watch, never the admin scopes.
  await expect(page.getByRole("checkbox", { name: /Read events and media/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /Watch live video/ })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /Control cameras/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: /Manage the household/ })).toHaveCount(0);
  // The server refuses more than the role allows, too.
  const tooMuch = await page.context().request.post("/api/account/tokens", { data: { name: "greedy", scopes: ["household:manage"] } });
  expect(tooMuch.status()).toBe(400);
  expect((await tooMuch.json()).error.fields.scopes).toBeTruthy();

  await page.getByLabel("Name", { exact: true }).fill("Home Assistant");
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^nj_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!.trim();
  await expect(page.getByRole("button", { name: "Copy" })).toBeVisible();
  await expect(page.getByText("it is shown only this once")).toBeVisible();
  const row = page.locator('[data-testid=token-row][data-token-name="Home Assistant"]');
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row.getByTestId("token-status")).toHaveText("Active");
  // Shown once: after a reload only the prefix is left.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  // A program: no cookies, only the header.
  const program = await bearerClient(token);
  const events = await program.get("/api/v1/events");
  expect(events.status(), await events.text()).toBe(200);
  expect(Array.isArray((await events.json()).events)).toBe(true);
  // Last use (time and address) shows in the list.
  await page.reload();
  await expect(row).toContainText("from 127.0.0.1");

  // Routes without a token scope refuse every bearer: 401 with a challenge, no detail. The app's own routes outside
  // /api/v1 are all session-only, even where a v1 twin takes this token's scope.
  for (const sessionOnlyPath of ["/api/account/tokens", "/api/events", "/api/storage"]) {
    const sessionOnly = await program.get(sessionOnlyPath);
    expect(sessionOnly.status(), sessionOnlyPath).toBe(401);
    expect(sessionOnly.headers()["www-authenticate"]).toBe(BEARER_CHALLENGE);
  }
  // A token never makes tokens.
  expect((await program.post("/api/account/tokens", { data: { name: "child", scopes: ["events:read"] } })).status()).toBe(401);

  // A bearer does not open a page: pages read the session cookie only.
  const tokenBrowser = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const tokenPage = await tokenBrowser.newPage();
  await tokenPage.goto("/events");
  await expect(tokenPage).toHaveURL(/\/login$/);
  await tokenBrowser.close();

  // Revoke in the UI (with a confirmation), then the program gets 401.
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByTestId("token-status")).toHaveText("Revoked");
  const after = await program.get("/api/v1/events");
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toBe(BEARER_CHALLENGE);
  await program.dispose();
  await page.context().close();
});

test("scopes, bad tokens and a bearer beside a session cookie", async ({ browser }) => {
  const member = await createMember("member", "scopes");
  const page = await signedInPage(browser, member.email, member.password);
  const session = page.context().request;
  const make = async (scopes: string[]) => {
    const res = await session.post("/api/account/tokens", { data: { name: `t-${scopes.join("+")}`, scopes } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).token as string;
  };
  // A token without the route's scope: 403 with insufficient_scope.
  const liveOnly = await bearerClient(await make(["live:watch"]));
  const refused = await liveOnly.get("/api/v1/events");
  expect(refused.status()).toBe(403);
  expect(refused.headers()["www-authenticate"]).toContain('error="insufficient_scope"');
  // Missing, malformed and unknown tokens: all the same 401, whatever failed.
  const answers = [];
  for (const header of ["Bearer", "Bearer not-a-token", `Bearer nj_${"A".repeat(43)}`, `Bearer nj_${"A".repeat(42)}`]) {
    const c = await request.newContext({ baseURL: E2E_BASE_URL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: header } });
    const res = await c.get("/api/v1/events");
    answers.push([res.status(), res.headers()["www-authenticate"], (await res.json()).error.code]);
    await c.dispose();
  }
  expect(answers).toEqual(Array(4).fill([401, BEARER_CHALLENGE, "unauthenticated"]));
  // With a valid session cookie and a bad bearer, the bearer is what counts.
  expect((await session.get("/api/v1/events")).status()).toBe(200);
  expect((await session.get("/api/v1/events", { headers: { authorization: `Bearer nj_${"B".repeat(43)}` } })).status()).toBe(401);
  await liveOnly.dispose();
  await page.context().close();
});

test("an admin sees every member's tokens in Settings → API tokens and revokes one", async ({ browser }) => {
  const member = await createMember("member", "listed");
  const page = await signedInPage(browser, member.email, member.password);
  const made = await page.context().request.post("/api/account/tokens", { data: { name: "Doorbell script", scopes: ["events:read"], expiresInDays: 90 } });
  expect(made.status()).toBe(201);
  const program = await bearerClient((await made.json()).token);
  expect((await program.get("/api/v1/events")).status()).toBe(200);
  // Members cannot list the household's tokens.
  expect((await page.context().request.get("/api/household/tokens")).status()).toBe(403);
  await page.context().close();

  const admin = await browser.newContext({ storageState: OWNER_STATE });
  const adminPage = await admin.newPage();
  await adminPage.goto("/settings/household");
  await adminPage.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "API tokens" }).click();
  await expect(adminPage).toHaveURL(/\/settings\/tokens$/);
  const row = adminPage.locator('[data-testid=token-row][data-token-name="Doorbell script"]');
  await expect(row).toContainText("listed person");
  adminPage.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByTestId("token-status")).toHaveText("Revoked");
  expect((await program.get("/api/v1/events")).status()).toBe(401);
  await program.dispose();

  // The admin API is open to the owner's session.
  const api = await ownerApi();
  const list = (await (await api.get("/api/household/tokens")).json()).tokens as { name: string; member: { email: string }; status: string }[];
  expect(list.find((x) => x.name === "Doorbell script")).toMatchObject({ member: { email: member.email }, status: "revoked" });
  await api.dispose();
  await admin.close();
});

test("disabling a member ends their tokens at once", async ({ browser }) => {
  const member = await createMember("viewer", "disabled");
  const page = await signedInPage(browser, member.email, member.password);
  const made = await page.context().request.post("/api/account/tokens", { data: { name: "Viewer script", scopes: ["events:read"] } });
  expect(made.status()).toBe(201);
  const program = await bearerClient((await made.json()).token);
  await page.context().close();
  expect((await program.get("/api/v1/events")).status()).toBe(200);
  const api = await ownerApi();
  expect((await api.patch(`/api/household/members/${member.id}`, { data: { isDisabled: true } })).status()).toBe(200);
  expect((await program.get("/api/v1/events")).status()).toBe(401);
  await api.dispose();
  await program.dispose();
});
