// The household: invites, accounts with temporary passwords, roles, disabling, removing, and what viewers may not do.
import { expect, test } from "@playwright/test";
import { OWNER, OWNER_STATE } from "./fixtures/env";
import { createMember, PASSWORD, randomEmail, signIn, signedInPage } from "./fixtures/helpers";

test.use({ storageState: OWNER_STATE });

test("invite a member through the UI; they join and sign in; the link works once", async ({ page, browser }) => {
  await page.goto("/settings/household");
  await expect(page.getByRole("heading", { name: "Household" })).toBeVisible();
  const invite = page.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Role").selectOption("member");
  await invite.getByRole("button", { name: "Create invite link" }).click();
  const link = await invite.getByLabel("Invite link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(invite.getByTestId("pending-invite").first()).toContainText("Member");

  const guest = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page2 = await guest.newPage();
  await page2.goto(link);
  await expect(page2.getByRole("heading", { name: "Join The Nest" })).toBeVisible();
  const email = randomEmail("invited");
  await page2.getByLabel("E-mail").fill(email);
  await page2.getByLabel(/^Display name/).fill("Ivy Invited");
  await page2.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page2.getByLabel("Repeat password").fill(PASSWORD);
  await page2.getByRole("button", { name: "Create my account" }).click();
  await expect(page2).toHaveURL(/\/live$/);
  await expect(page2.getByTestId("signed-in-as")).toHaveText("Signed in as Ivy Invited");
  // A member has no Settings.
  const nav = page2.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByRole("link", { name: "Events" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);

  // The link is used up.
  const page3 = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await page3.goto(link);
  await expect(page3.getByRole("heading", { name: "This invite cannot be used" })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId(`member-${email}`)).toContainText("Ivy Invited");
  await guest.close();
});

test("a viewer cannot open admin pages nor call admin routes", async ({ browser }) => {
  const viewer = await createMember("viewer");
  const page = await signedInPage(browser, viewer.email, viewer.password);
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  const response = await page.goto("/settings/household");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByText(/^Your role \(Viewer\) cannot open this page\./)).toBeVisible();

  const api = page.context().request;
  expect((await api.get("/api/household/members")).status()).toBe(403);
  expect((await api.post("/api/household/invites", { data: { role: "admin" } })).status()).toBe(403);
  expect((await api.post("/api/household/members", { data: { email: randomEmail("x"), role: "admin", temporaryPassword: PASSWORD } })).status()).toBe(403);
  expect((await api.patch(`/api/household/members/${viewer.id}`, { data: { role: "admin" } })).status()).toBe(403);
  const body = await (await api.get("/api/household/members")).json();
  expect(body.error.message).toBe("Your role does not allow this.");
  await page.context().close();
});

test("an account with a temporary password must change it first", async ({ page, browser }) => {
  await page.goto("/settings/household");
  const create = page.getByRole("region", { name: "Create an account" });
  const email = randomEmail("temp");
  await create.getByLabel("E-mail").fill(email);
  await create.getByLabel(/^Display name/).fill("Tom Temp");
  await create.getByLabel("Role").selectOption("viewer");
  await create.getByRole("button", { name: "Generate" }).click();
  const temporary = await create.getByLabel("Temporary password").inputValue();
  expect(temporary).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
  await create.getByRole("button", { name: "Create account" }).click();
  await expect(create.getByRole("status")).toHaveText(`Account created for ${email}.`);
  await expect(page.getByTestId(`member-${email}`)).toContainText("Must change password");

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const tom = await context.newPage();
  await signIn(tom, email, temporary);
  await expect(tom).toHaveURL(/\/account\/password$/);
  await tom.goto("/events");
  await expect(tom).toHaveURL(/\/account\/password$/);
  expect((await context.request.get("/api/account")).status()).toBe(200);
  expect((await context.request.patch("/api/account", { data: { displayName: "x" } })).status()).toBe(403);
  await tom.getByLabel("Current password").fill(temporary);
  await tom.getByLabel("New password").fill(PASSWORD);
  await tom.getByLabel("Repeat password").fill(PASSWORD);
  await tom.getByRole("button", { name: "Change password" }).click();
  await expect(tom).toHaveURL(/\/live$/);
  await expect(tom.getByTestId("signed-in-as")).toHaveText("Signed in as Tom Temp");
  await context.close();
});

test("a disabled member is thrown out and cannot sign in; enabled again, they can", async ({ page, browser }) => {
  const member = await createMember("member", "disabled");
  const theirs = await signedInPage(browser, member.email, member.password);

  await page.goto("/settings/household");
  const row = page.getByTestId(`member-${member.email}`);
  await row.getByRole("button", { name: /^Disable:/ }).click();
  await expect(page.getByRole("status")).toContainText("is disabled and signed out");
  await expect(row).toContainText("Disabled");

  await theirs.goto("/events");
  await expect(theirs).toHaveURL(/\/login$/);
  await signIn(theirs, member.email, member.password);
  // The same answer as a wrong password: the form never tells that the account exists and is disabled.
  await expect(theirs.getByTestId("form-error")).toHaveText("E-mail or password is incorrect.");

  await row.getByRole("button", { name: /^Enable:/ }).click();
  await expect(row).toContainText("Active");
  await signIn(theirs, member.email, member.password);
  await expect(theirs).toHaveURL(/\/live$/);
  await theirs.context().close();
});

test("the last admin cannot step down; roles change; members can be removed", async ({ page }) => {
  await page.goto("/settings/household");
  const me = page.getByTestId(`member-${OWNER.email}`);
  await me.getByRole("combobox").selectOption("member");
  await expect(page.getByRole("alert").filter({ hasText: "at least one enabled admin" })).toBeVisible();
  await page.reload();
  await expect(me.getByRole("combobox")).toHaveValue("admin");

  const member = await createMember("member", "removable");
  await page.reload();
  const row = page.getByTestId(`member-${member.email}`);
  await row.getByRole("combobox").selectOption("viewer");
  await expect(page.getByRole("status")).toContainText("changed to Viewer");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: /^Remove:/ }).click();
  await expect(page.getByRole("status")).toContainText("was removed");
  await expect(page.getByTestId(`member-${member.email}`)).toHaveCount(0);
});
