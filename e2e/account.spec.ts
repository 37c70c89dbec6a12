// A member's own account: profile, language, e-mail and password changes, sign out everywhere.
import { expect, test } from "@playwright/test";
import { createMember, PASSWORD, randomEmail, signedInPage } from "./fixtures/helpers";

test("sign out everywhere ends the session in another browser", async ({ browser }) => {
  const member = await createMember("member", "everywhere");
  const a = await signedInPage(browser, member.email, member.password);
  const b = await signedInPage(browser, member.email, member.password);
  await a.goto("/account");
  a.once("dialog", (d) => d.accept());
  await a.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(a).toHaveURL(/\/login$/);
  await b.goto("/events");
  await expect(b).toHaveURL(/\/login$/);
  expect((await b.context().request.get("/api/account")).status()).toBe(401);
  await a.context().close();
  await b.context().close();
});

test("switching language changes the UI", async ({ browser }) => {
  const member = await createMember("member", "polyglot");
  const page = await signedInPage(browser, member.email, member.password);
  await page.goto("/account");
  await page.getByLabel("Language").selectOption("de");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Konto", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
  await expect(nav.getByRole("link", { name: "Ereignisse" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  // Errors from the server come in the member's language too.
  const res = await page.context().request.post("/api/account/email", { data: { email: randomEmail("x"), currentPassword: "wrong-password" } });
  expect((await res.json()).error.message).toBe("Das aktuelle Passwort ist falsch.");
  await page.getByLabel("Sprache").selectOption("sv");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByRole("heading", { name: "Konto", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Huvudnavigering" }).getByRole("link", { name: "Händelser" })).toBeVisible();
  await page.context().close();
});

test("signed out, the language follows the browser and the picker", async ({ browser }) => {
  const context = await browser.newContext({ locale: "nl-NL", storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Inloggen" })).toBeVisible();
  await page.getByLabel("Taal").selectOption("sv");
  await expect(page.getByRole("button", { name: "Logga in" })).toBeVisible();
  await context.close();
});

test("profile, e-mail and password changes need the right input", async ({ browser }) => {
  const member = await createMember("member", "profile");
  const page = await signedInPage(browser, member.email, member.password);
  await page.goto("/account");

  await page.getByLabel(/^Display name/).fill("Paula Profile");
  await page.getByLabel(/^Username/).fill("no spaces allowed");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("3–32 characters: letters, digits, dot, dash or underscore.", { exact: true })).toBeVisible();
  const handle = `paula${Date.now() % 100000}`;
  await page.getByLabel(/^Username/).fill(handle);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText("Signed in as Paula Profile");

  const email = page.getByRole("region", { name: "E-mail address" });
  const newEmail = randomEmail("moved");
  await email.getByLabel("New e-mail").fill(newEmail);
  await email.getByLabel("Current password").fill("not my password");
  await email.getByRole("button", { name: "Change e-mail" }).click();
  await expect(email.getByText("Incorrect password.", { exact: true })).toBeVisible();
  await email.getByLabel("Current password").fill(PASSWORD);
  await email.getByRole("button", { name: "Change e-mail" }).click();
  await expect(email.getByRole("status")).toHaveText("Your e-mail address was changed.");
  await expect(email.getByTestId("current-email")).toHaveText(newEmail);

  const password = page.getByRole("region", { name: "Password" });
  await password.getByLabel("Current password").fill(PASSWORD);
  await password.getByLabel("New password").fill("1234567890");
  await password.getByLabel("Repeat password").fill("1234567890");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByText("Too common or too easy to guess.", { exact: true })).toBeVisible();
  await password.getByLabel("New password").fill("a-brand-new-secret-9");
  await password.getByLabel("Repeat password").fill("a-brand-new-secret-9");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText("Your password was changed. Other devices were signed out.");
  // Still signed in here (signed in again with the new password); elsewhere, the username works too.
  await page.goto("/events");
  await expect(page).toHaveURL(/\/events$/);
  await page.context().close();
  const other = await signedInPage(browser, handle, "a-brand-new-secret-9");
  await expect(other.getByTestId("signed-in-as")).toHaveText("Signed in as Paula Profile");
  await other.context().close();
});
