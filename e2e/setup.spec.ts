// First-run setup: with no user, everything leads to /setup; the owner is created once; then /setup is gone. The
// page itself is checked as every other page is (layout.spec, a11y.spec), here because it exists only before the
// first account: at a phone's size and a laptop's, a screenshot kept, no overlapping text, no sideways scroll, and
// no serious or critical axe violation, also with the form's errors shown.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { OWNER, OWNER_STATE } from "./fixtures/env";
import { keepScreenshot, openPage, overlaps, seriousViolations, SIZES, textBoxes, type SizeName } from "./fixtures/pages";

/** What is wrong with the page as it is now: overlapping text, sideways scroll, serious or critical axe violations. */
async function pageProblems(page: Page, where: string): Promise<string[]> {
  const problems = (await seriousViolations(page, where)).concat(overlaps(await textBoxes(page.locator("body"))).map((o) => `${where}: ${o}`));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 0) problems.push(`${where}: ${wide} px of sideways scroll`);
  return problems;
}

test("first-run setup creates the owner, and only once", async ({ page, request, browser }, testInfo) => {
  // ~20 s on an idle machine (two sizes, each screenshotted and checked twice, then the setup itself); it ran out of
  // 30 s on a machine busy with other work.
  test.setTimeout(120_000);
  for (const size of Object.keys(SIZES) as SizeName[]) {
    const context = await browser.newContext({ ...SIZES[size], storageState: { cookies: [], origins: [] } });
    const p = await context.newPage();
    try {
      await openPage(p, "/setup");
      await keepScreenshot(p, testInfo, `${size}-setup`);
      expect.soft(await pageProblems(p, `/setup at ${SIZES[size].viewport.width} px`)).toEqual([]);
      // With its errors shown (nothing filled in).
      await p.getByRole("button", { name: "Create owner account" }).click();
      await expect(p.getByTestId("form-error").or(p.locator("[aria-invalid=true]")).first()).toBeVisible();
      await keepScreenshot(p, testInfo, `${size}-setup-errors`);
      expect.soft(await pageProblems(p, `/setup with errors at ${SIZES[size].viewport.width} px`)).toEqual([]);
    } finally {
      await context.close();
    }
  }

  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.goto("/settings/household");
  await expect(page).toHaveURL(/\/setup$/);
  await page.goto("/login");
  await expect(page).toHaveURL(/\/setup$/);
  expect((await request.get("/api/household/members")).status()).toBe(401);

  await expect(page.getByRole("heading", { name: "Set up Nightjar" })).toBeVisible();
  await page.getByLabel("Household name").fill("The Nest");
  await page.getByLabel(/^Your name/).fill(OWNER.name);
  await page.getByLabel("E-mail").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByLabel("Repeat password").fill("password123");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("This password is too common or too easy to guess. Choose another.");
  await expect(page.getByText("Too common or too easy to guess.", { exact: true })).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Repeat password").fill(OWNER.password + "x");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByText("The passwords do not match.", { exact: true })).toBeVisible();

  await page.getByLabel("Repeat password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(/\/live$/);
  await expect(page.getByRole("heading", { name: "Live" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText(`Signed in as ${OWNER.name}`);
  fs.mkdirSync("test-results", { recursive: true });
  await page.context().storageState({ path: OWNER_STATE });

  // /setup is gone: the page sends you on, the route refuses.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/live$/);
  const again = await request.post("/api/setup", { data: { householdName: "Evil", email: "evil@nightjar.test", password: "correct horse battery" } });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("already_set_up");
});
