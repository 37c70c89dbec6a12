// Data export: a member asks for an export on My data, sees the progress bar while the scheduler worker prepares it,
// downloads the ZIP, and the archive checks out (Python's zipfile CRC check, manifest checksums, account.json valid
// against the JSON Schema shipped inside it). Then the export is deleted.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020.js";
import { createMember, signedInPage } from "./fixtures/helpers";

/** Extracts a ZIP with Python's zipfile after checking every entry's CRC; returns the entry names. */
function extract(zipFile: string, dir: string): string[] {
  const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "CRC mismatch"
    z.extractall(sys.argv[2])
    print(json.dumps(z.namelist()))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, zipFile, dir], { encoding: "utf8" }));
}

test("export my data: progress, download, a valid archive, delete", async ({ browser }) => {
  test.setTimeout(90_000);
  const member = await createMember("member", "exporter");
  const page = await signedInPage(browser, member.email, member.password);
  await page.goto("/account/data");

  await page.getByRole("button", { name: "Export my data" }).click();
  await expect(page.getByRole("progressbar", { name: "Export progress" })).toBeVisible();
  // One export at a time: the button waits until this one is done.
  await expect(page.getByRole("button", { name: "Export my data" })).toBeDisabled();

  const link = page.getByRole("link", { name: "Download", exact: true });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("progressbar", { name: "Export progress" })).toHaveCount(0);
  await expect(page.getByText(/^Available until /)).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^nightjar-export-\d{4}-\d{2}-\d{2}\.zip$/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-e2e-export-"));
  try {
    const zipFile = path.join(dir, "export.zip");
    await download.saveAs(zipFile);
    const out = path.join(dir, "x");
    const names = extract(zipFile, out);

    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.formatVersion).toBe("1");
    expect(manifest.generator).toBe("Nightjar");
    expect(manifest.accountId).toBe(member.id);
    expect([...manifest.files.map((f: { path: string }) => f.path), "manifest.json"].sort()).toEqual([...names].sort());
    for (const f of manifest.files as { path: string; bytes: number; sha256: string }[]) {
      const bytes = fs.readFileSync(path.join(out, f.path));
      expect(bytes.length, f.path).toBe(f.bytes);
      expect(crypto.createHash("sha256").update(bytes).digest("hex"), f.path).toBe(f.sha256);
    }
    expect(names).toEqual(expect.arrayContaining(["README.txt", "account.json", "activity.json", "schemas/account.schema.json"]));

    const account = JSON.parse(fs.readFileSync(path.join(out, "account.json"), "utf8"));
    expect(account.account.email).toBe(member.email);
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
    ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)) && /T.*(Z|[+-]\d{2}:\d{2})$/.test(s));
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(out, "schemas/account.schema.json"), "utf8")));
    expect(validate(account), ajv.errorsText(validate.errors)).toBe(true);
    // Never the password hash.
    for (const name of names) expect(fs.readFileSync(path.join(out, name)).includes(Buffer.from("$argon2id$")), name).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Only its owner can download it.
  const jobs = (await (await page.context().request.get("/api/account/exports")).json()).jobs as { id: string }[];
  const other = await createMember("member", "snoop");
  const snoop = await signedInPage(browser, other.email, other.password);
  expect((await snoop.context().request.get(`/api/account/exports/${jobs[0].id}/download`)).status()).toBe(404);
  await snoop.context().close();

  await page.getByRole("button", { name: /^Delete the export requested / }).click();
  await expect(page.getByText("No exports yet.", { exact: true })).toBeVisible();
  expect((await page.context().request.get(`/api/account/exports/${jobs[0].id}/download`)).status()).toBe(404);
  await page.context().close();
});
