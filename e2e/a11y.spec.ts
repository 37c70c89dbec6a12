// Accessibility of every page: axe (@axe-core/playwright, all its rules) finds no serious or critical violation on any
// page of the app at a phone's size (390×844) and a laptop's (1280×800), signed in as each role — the owner (an
// admin), a member and a viewer, who each see their own pages plus the "not allowed" and "not found" pages — nor on the
// signed-out pages (sign-in, an invite; /setup, before the first account, in setup.spec.ts). The household has a camera the member and viewer may see, with one finished
// event (so the Events page shows a card and a timeline bar, and its player is checked open too), and a webhook.
// One browser context per role and size (the roles side by side): every page is checked even when one fails, and the
// household is furnished once (the event takes ~20 s).
import { expect, test, type Browser } from "@playwright/test";
import { contextAs, furnish, openMenu, openPage, pagesFor, seriousViolations, SIZES, unfurnish, type Furnished, type Role, type SizeName } from "./fixtures/pages";

const ROLES: Role[] = ["admin", "member", "viewer"];

/** Every page the role sees at this size, the phone's menu unfolded and the Events page's player open: what axe finds. */
async function checkRole(browser: Browser, f: Furnished, role: Role, size: SizeName): Promise<string[]> {
  const { width } = SIZES[size].viewport;
  const { context, page } = await contextAs(browser, size, role === "admin" ? undefined : f[role]);
  const found: string[] = [];
  try {
    const pages = pagesFor(role, f);
    expect(pages.length).toBeGreaterThanOrEqual(role === "admin" ? 26 : 14);
    for (const p of pages) {
      await openPage(page, p.path);
      found.push(...(await seriousViolations(page, `${p.path} (${role}, ${width}px)`)));
    }
    // Below 1024 px the navigation folds into a Menu: checked unfolded too.
    if (size === "phone") {
      await openPage(page, "/live");
      await openMenu(page);
      found.push(...(await seriousViolations(page, `/live menu open (${role}, ${width}px)`)));
    }
    // The Events page with its player open on the event (a dialog over the page).
    await openPage(page, "/events");
    await page.locator(`[data-testid=event][data-event-id="${f.eventId}"]`).getByRole("button").first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    found.push(...(await seriousViolations(page, `/events player (${role}, ${width}px)`)));
  } finally {
    await context.close();
  }
  return found;
}

// One test per size (the household furnished once, before both): each has its own time budget, so a slow machine
// (CI shares its two cores) does not run the second size out of the first one's time.
test.describe.configure({ mode: "serial" });

let f: Furnished | undefined;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  f = await furnish({ sim: 0, name: "Axe", withEvent: true });
});
test.afterAll(async () => {
  await unfurnish(f);
});

for (const size of Object.keys(SIZES) as SizeName[]) {
  const { width, height } = SIZES[size].viewport;
  test(`every page at ${width}×${height}, as the owner, a member, a viewer and signed out: no serious or critical axe violation`, async ({ browser }) => {
    // A size is ~110 axe checks; under 4 min with the machine loaded six times over (load average 12 on two cores). The
    // budget leaves room beyond that (one test for both sizes, axe opening a page per check, ran out of 7 min on CI).
    test.setTimeout(600_000);
    // The three roles side by side (a context each): the machine's cores share the work, every page is still
    // checked in every role, and a failure in one role does not stop the others.
    await test.step(`the owner, a member and a viewer at ${width} px`, async () => {
      const results = await Promise.allSettled(ROLES.map((role) => checkRole(browser, f!, role, size)));
      results.forEach((r, i) => expect.soft(r.status === "fulfilled" ? r.value : [`${ROLES[i]} at ${width} px: ${String(r.reason)}`], `${ROLES[i]} at ${width} px`).toEqual([]));
    });
    await test.step(`signed out at ${width} px`, async () => {
      const context = await browser.newContext({ ...SIZES[size], storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      const found: string[] = [];
      try {
        for (const path of ["/login", new URL(f!.inviteUrl).pathname]) {
          await openPage(page, path);
          found.push(...(await seriousViolations(page, `${path} (signed out, ${width}px)`)));
        }
      } finally {
        await context.close();
      }
      expect.soft(found, `signed out at ${width} px`).toEqual([]);
    });
  });
}
