// Household modes end to end: the owner sets in Settings → Modes that Away disarms a simulated camera, switches to
// Away with the header's switcher and sees the camera's motion settings disarmed, and back. A program switches through
// /api/v1/modes/active with a token (answers validated against the served document; unknown mode 404; the token named
// in the activity log). A viewer sees the mode but cannot switch; a member can. The camera is deleted at the end and
// Home is left in force.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { OWNER_STATE, SIM } from "./fixtures/env";
import { anonymousClient, bearerClient, createMember, ownerApi, signedInPage } from "./fixtures/helpers";

test.describe.configure({ mode: "serial" });
test.use({ storageState: OWNER_STATE });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIM_CAMERA = 1;
const CAMERA = "Mode porch";

let doc: Json;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
let session: APIRequestContext;
let cameraId = "";


/** The JSON of a response after checking its status and validating it against the operation's documented schema. */
async function documented(res: APIResponse, operationId: string, status = 200): Promise<Json> {
  expect(res.status(), await res.text()).toBe(status);
  const body = await res.json();
  const found = Object.values(doc.paths as Json)
    .flatMap((item) => Object.values(item as Json))
    .find((op) => (op as Json).operationId === operationId) as Json | undefined;
  expect(found, operationId).toBeTruthy();
  let response = found!.responses[String(status)];
  if (response.$ref) response = doc.components.responses[response.$ref.split("/").pop()];
  const schema = response.content["application/json"].schema;
  const validate = ajv.compile(schema.$ref ? { $ref: `https://nightjar.test/openapi.json${schema.$ref}` } : schema);
  expect(validate(body), `${operationId} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
  return body;
}

async function armed(): Promise<boolean> {
  return (await (await session.get(`/api/cameras/${cameraId}/motion`)).json()).armed;
}

test.beforeAll(async () => {
  const anonymous = await anonymousClient();
  doc = await (await anonymous.get("/api/openapi.json")).json();
  ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });
  await anonymous.dispose();
  session = await ownerApi();
  const add = await session.post("/api/cameras", { data: { name: CAMERA, mainStreamUrl: SIM.rtsp(SIM_CAMERA), subStreamUrl: SIM.rtsp(SIM_CAMERA, "sub"), username: SIM.username, password: SIM.password } });
  expect(add.status(), await add.text()).toBe(201);
  cameraId = (await add.json()).camera.id;
});

test.afterAll(async () => {
  await session.post("/api/household/modes/active", { data: { mode: "home" } });
  if (cameraId) await session.delete(`/api/cameras/${cameraId}?recordings=delete`);
  await session.dispose();
});

test("Away disarms the camera: set in Settings → Modes, switched in the header, seen on the camera's page", async ({ page }) => {
  await page.goto("/settings");
  await page.getByRole("link", { name: "Modes", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/modes$/);
  await expect(page.getByRole("heading", { name: "Household modes" })).toBeVisible();

  const away = page.getByRole("region", { name: /^Away/ });
  const armedBox = away.getByRole("checkbox", { name: `Armed in Away: ${CAMERA}` });
  await expect(armedBox).toBeChecked();
  await expect(away.getByRole("checkbox", { name: `Notify in Away: ${CAMERA}` })).toBeChecked();
  await armedBox.uncheck();
  await away.getByRole("button", { name: "Save Away" }).click();
  await expect(away.getByText("Saved.")).toBeVisible();
  expect(await armed()).toBe(true); // Away is not in force yet: nothing changed

  // The built-in three cannot be deleted: no delete button.
  await expect(page.getByRole("button", { name: /^Delete (Home|Away|Night)$/ })).toHaveCount(0);

  const switcher = page.getByRole("combobox", { name: "Household mode" });
  await expect(switcher).toBeEnabled();
  await switcher.selectOption({ label: "Away" });
  await expect(page.getByTestId("mode-in-force")).toContainText(/Away since .* · in the app by /);
  await expect.poll(armed).toBe(false);

  await page.goto(`/cameras/${cameraId}`);
  await expect(page.getByRole("checkbox", { name: /^Armed: record events/ })).not.toBeChecked();
  await expect(page.getByRole("combobox", { name: "Household mode" })).toHaveValue("mode_away");

  await page.getByRole("combobox", { name: "Household mode" }).selectOption({ label: "Home" });
  await expect.poll(armed).toBe(true);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: /^Armed: record events/ })).toBeChecked();

  // Both switches are in the household's activity log.
  await page.goto("/settings/activity");
  await expect(page.locator('[data-testid="activity-row"][data-action="mode.switch"]').first()).toContainText("Switched the household mode");
  await expect(page.locator('[data-testid="activity-row"][data-action="mode.changed"]').first()).toContainText("Changed a household mode");
});

test("an added mode: add, schedule, rename, delete (not while in force)", async ({ page }) => {
  await page.goto("/settings/modes");
  const add = page.getByRole("region", { name: "Add a mode" });
  await add.getByLabel("Name").fill("Holiday");
  await add.getByRole("button", { name: "Add mode" }).click();
  const holiday = page.getByRole("region", { name: /^Holiday/ });
  await expect(holiday).toBeVisible();
  // A second mode by the same name is refused with the reason.
  await add.getByLabel("Name").fill("holiday");
  await add.getByRole("button", { name: "Add mode" }).click();
  await expect(add.getByText("Another mode has this name.")).toBeVisible();

  await holiday.getByRole("button", { name: "Add a time" }).click();
  await holiday.getByLabel("Time", { exact: true }).fill("06:45");
  await holiday.getByRole("button", { name: "Save Holiday" }).click();
  await expect(holiday.getByText("Saved.")).toBeVisible();
  const listed = (await (await session.get("/api/household/modes")).json()) as Json;
  const stored = listed.modes.find((m: Json) => m.name === "Holiday");
  expect(stored.schedule).toEqual([{ days: [1, 2, 3, 4, 5], at: "06:45" }]);

  // In force, it cannot be deleted.
  expect((await session.post("/api/household/modes/active", { data: { mode: "Holiday" } })).status()).toBe(200);
  const refused = await session.delete(`/api/household/modes/${stored.id}`);
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.fields.mode.code).toBe("mode_active");
  expect((await session.post("/api/household/modes/active", { data: { mode: "home" } })).status()).toBe(200);

  await page.reload();
  await page.getByRole("region", { name: /^Holiday/ }).getByLabel("Name").fill("Vacation");
  await page.getByRole("region", { name: /^Holiday/ }).getByRole("button", { name: "Save Holiday" }).click();
  const vacation = page.getByRole("region", { name: /^Vacation/ });
  await expect(vacation.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Household mode" }).getByRole("option", { name: "Vacation" })).toHaveCount(1);
  page.once("dialog", (d) => void d.accept());
  await vacation.getByRole("button", { name: "Delete Vacation" }).click();
  await expect(page.getByRole("region", { name: /^Vacation/ })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Household mode" }).getByRole("option")).toHaveCount(3);
});

test("a program switches through /api/v1 with a token; unknown mode 404; the token is in the activity log", async () => {
  const made = await session.post("/api/account/tokens", { data: { name: "e2e modes", scopes: ["events:read", "cameras:control"] } });
  expect(made.status(), await made.text()).toBe(201);
  const api = await bearerClient((await made.json()).token);
  const readOnly = await session.post("/api/account/tokens", { data: { name: "e2e modes read", scopes: ["events:read"] } });
  const reader = await bearerClient((await readOnly.json()).token);

  const list = await documented(await api.get("/api/v1/modes"), "listModes");
  expect(list.modes.map((m: Json) => m.key).slice(0, 3)).toEqual(["home", "away", "night"]);
  expect(list.activeModeId).toBe("mode_home");
  expect(list.modes.find((m: Json) => m.key === "away").cameras[cameraId]).toEqual({ armed: false, notify: true });

  const switched = await documented(await api.post("/api/v1/modes/active", { data: { mode: "away" } }), "switchMode");
  expect(switched.activeModeId).toBe("mode_away");
  expect(switched.changedVia).toBe("api");
  expect(switched.modes.find((m: Json) => m.active).key).toBe("away");
  expect((await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).armed).toBe(false);

  const unknown = await api.post("/api/v1/modes/active", { data: { mode: "no such mode" } });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("not_found");
  expect((await api.post("/api/v1/modes/active", { data: {} })).status()).toBe(400);
  const noScope = await reader.post("/api/v1/modes/active", { data: { mode: "home" } });
  expect(noScope.status()).toBe(403);
  expect(noScope.headers()["www-authenticate"]).toContain("insufficient_scope");
  expect((await reader.get("/api/v1/modes")).status()).toBe(200);
  // Tokens open only /api/v1: the app's route refuses them.
  expect((await api.post("/api/household/modes/active", { data: { mode: "home" } })).status()).toBe(401);

  await documented(await api.post("/api/v1/modes/active", { data: { mode: "mode_home" } }), "switchMode");
  expect((await (await api.get(`/api/v1/cameras/${cameraId}`)).json()).armed).toBe(true);

  const activity = (await (await session.get("/api/activity?scope=me&limit=20")).json()).items as Json[];
  const record = activity.find((a) => a.action === "mode.switch" && a.targetId === "mode_away");
  expect(record?.data.via).toBe("api");
  expect(record?.via?.kind).toBe("token");
  expect(record?.via?.name).toBe("e2e modes");
  await api.dispose();
  await reader.dispose();
});

test("a viewer sees the mode but cannot switch it; a member can", async ({ browser }) => {
  const viewer = await createMember("viewer", "modeviewer");
  const page = await signedInPage(browser, viewer.email, viewer.password);
  const switcher = page.getByRole("combobox", { name: "Household mode" });
  await expect(switcher).toBeVisible();
  await expect(switcher).toHaveValue("mode_home");
  await expect(switcher).toBeDisabled();
  const refused = await page.request.post("/api/household/modes/active", { data: { mode: "away" } });
  expect(refused.status()).toBe(403);
  expect((await page.request.get("/api/household/modes")).status()).toBe(200);
  expect((await page.request.patch("/api/household/modes/mode_away", { data: { name: "Out" } })).status()).toBe(403);
  expect(await armed()).toBe(true);
  await page.context().close();

  const member = await createMember("member", "modemember");
  const memberPage = await signedInPage(browser, member.email, member.password);
  const theirs = memberPage.getByRole("combobox", { name: "Household mode" });
  await expect(theirs).toBeEnabled();
  await theirs.selectOption({ label: "Night" });
  await expect(theirs).toHaveValue("mode_night");
  await expect.poll(async () => (await (await session.get("/api/household/modes")).json()).activeModeId).toBe("mode_night");
  await memberPage.context().close();
});
