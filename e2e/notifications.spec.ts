// Notifications end to end: motion on a simulated camera reaches the notification centre and the nav badge live
// (Server-Sent Events, no reload), the item links to the events, and marking it read lowers the badge.
import { expect, test } from "@playwright/test";
import { OWNER_STATE, SIM } from "./fixtures/env";

test.use({ storageState: OWNER_STATE });

const SIM_CAMERA = 0;
const CAMERA = "Notify porch";

test("motion shows up in the centre and the badge without reloading, and can be marked read", async ({ page }) => {
  test.setTimeout(120_000);
  const add = await page.request.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.ok()).toBe(true);
  const cameraId = ((await add.json()) as { camera: { id: string } }).camera.id;
  const motion = async (on: boolean) => expect((await page.request.post(`${SIM.controlUrl}/cameras/${SIM_CAMERA}/motion`, { data: { on } })).ok()).toBe(true);
  try {
    await page.goto("/notifications");
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
    const badge = page.getByTestId("unread-badge");
    const before = Number(await badge.getAttribute("data-count"));

    await motion(true);
    const item = page.getByTestId("notification").filter({ hasText: CAMERA }).first();
    await expect(item).toBeVisible({ timeout: 30_000 });
    await expect(item).toHaveAttribute("data-unread", "true");
    await expect.poll(async () => Number(await badge.getAttribute("data-count")), { timeout: 10_000 }).toBeGreaterThan(before);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Notifications/ })).toContainText(/\d/);
    await motion(false);

    await expect(item.getByRole("link", { name: "Open the events" })).toHaveAttribute("href", new RegExp(`/events\\?camera=${cameraId}&day=\\d{4}-\\d{2}-\\d{2}`));
    const itemId = await item.getAttribute("data-id");
    await item.getByRole("button", { name: "Mark read" }).click();
    await expect(item).toHaveAttribute("data-unread", "false");
    // Other notifications (cameras of other specs going on- and offline) may arrive meanwhile, so the badge is compared
    // with the server's unread count rather than with the count before: it follows the server without a reload, and the
    // server has this one read.
    await expect
      .poll(
        async () => {
          const centre = (await (await page.request.get("/api/notifications")).json()) as { unread: number; items: { id: string; readAt: string | null }[] };
          const mine = centre.items.find((i) => i.id === itemId);
          return { badgeMatches: Number(await badge.getAttribute("data-count")) === centre.unread, read: !!mine?.readAt };
        },
        { timeout: 10_000 },
      )
      .toEqual({ badgeMatches: true, read: true });

    // The preferences page and the delivery log (the in-app delivery of this event).
    await page.goto("/account/notifications");
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "In the app" }).first()).toBeVisible();
  } finally {
    await motion(false).catch(() => {});
    await page.request.delete(`/api/cameras/${cameraId}`);
  }
});
