// Layout of every page at a phone's size (390×844) and a laptop's (1280×800), signed in as the owner (who sees every
// page and the longest navigation), and of the signed-out pages: a full-page screenshot of each is kept as a test
// artifact (test-results/e2e/<test>/<size>-<page>.png, also listed as the test's attachments; nothing is compared
// with them), and no text box overlaps another in the header with the navigation (unfolded from its Menu on a phone)
// on any page, nor in the Events page's timeline (its hour labels), nor anywhere on the signed-out pages. One test, a
// step per size with one browser context each.
import { expect, test } from "@playwright/test";
import { appPages, contextAs, furnish, keepScreenshot, openMenu, openPage, overlaps, SIZES, textBoxes, unfurnish, type Furnished, type SizeName } from "./fixtures/pages";

/** A time of day as an axis label: "12:00 AM", "6 PM", "06:00". */
const HOUR_LABEL = /^\d{1,2}(:\d{2})?\s*([AP]\.?M\.?)?$/i;

test("every page at 390×844 and 1280×800: screenshots kept, no text overlaps in the navigation, the timeline or the signed-out pages", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  let f: Furnished | undefined;
  try {
    f = await furnish({ sim: 0, name: "Layout" });
    for (const size of Object.keys(SIZES) as SizeName[]) {
      const { width } = SIZES[size].viewport;
      await test.step(`the owner's pages at ${width} px`, async () => {
        const { context, page } = await contextAs(browser, size);
        const problems: string[] = [];
        try {
          const pages = appPages(f!);
          for (const p of pages) {
            await openPage(page, p.path);
            await keepScreenshot(page, testInfo, `${size}-${p.name}`);
            // On a phone the navigation is measured unfolded (the first page's screenshot shows it so).
            await openMenu(page);
            if (p === pages[0] && size === "phone") await keepScreenshot(page, testInfo, `${size}-${p.name}-menu`);
            await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link")).toHaveCount(8);
            const header = await textBoxes(page.getByRole("banner"));
            // The links' labels are measured (the check cannot pass by measuring nothing).
            expect(header.length, p.path).toBeGreaterThanOrEqual(5);
            for (const o of overlaps(header)) problems.push(`${p.path} header: ${o}`);
            if (p.name === "events") {
              const timeline = page.getByRole("region", { name: "Timeline" });
              await expect(timeline).toBeVisible();
              const boxes = await textBoxes(timeline);
              expect(boxes.filter((b) => HOUR_LABEL.test(b.text)).length, "hour labels measured").toBeGreaterThanOrEqual(3);
              for (const o of overlaps(boxes)) problems.push(`${p.path} timeline: ${o}`);
            }
          }
        } finally {
          await context.close();
        }
        expect.soft(problems, `the owner's pages at ${width} px`).toEqual([]);
      });
      await test.step(`the signed-out pages at ${width} px`, async () => {
        const context = await browser.newContext({ ...SIZES[size], storageState: { cookies: [], origins: [] } });
        const page = await context.newPage();
        const problems: string[] = [];
        try {
          for (const [name, path] of [["login", "/login"], ["invite", new URL(f!.inviteUrl).pathname]]) {
            await openPage(page, path);
            await keepScreenshot(page, testInfo, `${size}-${name}`);
            const boxes = await textBoxes(page.locator("body"));
            expect(boxes.length, path).toBeGreaterThanOrEqual(3);
            for (const o of overlaps(boxes)) problems.push(`${path}: ${o}`);
          }
        } finally {
          await context.close();
        }
        expect.soft(problems, `the signed-out pages at ${width} px`).toEqual([]);
      });
    }
  } finally {
    await unfurnish(f);
  }
});
