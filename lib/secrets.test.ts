import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { resetEnvForTests } from "./env";
import { getSecrets, readOrCreateSecret, resetSecretsForTests } from "./secrets";

describe("secrets", () => {
  test("are generated on first use with mode 0600 in a 0700 folder, and stay the same", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-secrets-"));
    process.env.DATA_DIR = dir;
    delete process.env.SESSION_SECRET;
    delete process.env.CREDENTIALS_KEY;
    resetEnvForTests();
    resetSecretsForTests();
    const first = getSecrets();
    assert.ok(first.sessionSecret.length >= 60);
    assert.equal(first.credentialsKey.length, 32);
    assert.equal(fs.statSync(path.join(dir, "secrets")).mode & 0o777, 0o700);
    for (const f of ["session-secret", "credentials-key", "vapid-private-key"]) assert.equal(fs.statSync(path.join(dir, "secrets", f)).mode & 0o777, 0o600);
    resetSecretsForTests();
    const again = getSecrets();
    assert.equal(again.sessionSecret, first.sessionSecret);
    assert.deepEqual(again.credentialsKey, first.credentialsKey);
    fs.rmSync(dir, { recursive: true });
  });

  test("the environment wins over files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-secrets-"));
    process.env.DATA_DIR = dir;
    process.env.SESSION_SECRET = "s".repeat(40);
    process.env.CREDENTIALS_KEY = Buffer.alloc(32, 7).toString("base64");
    resetEnvForTests();
    resetSecretsForTests();
    assert.equal(getSecrets().sessionSecret, "s".repeat(40));
    assert.equal(fs.existsSync(path.join(dir, "secrets", "session-secret")), false);
    delete process.env.SESSION_SECRET;
    delete process.env.CREDENTIALS_KEY;
    resetEnvForTests();
    resetSecretsForTests();
    fs.rmSync(dir, { recursive: true });
  });

  test("processes starting at the same moment agree on one secret", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-secrets-"));
    const file = path.join(dir, "secrets", "race");
    const script = `import { readOrCreateSecret } from ${JSON.stringify(path.resolve(import.meta.dirname, "secrets.ts"))};
      process.stdout.write(readOrCreateSecret(${JSON.stringify(file)}, () => String(process.pid)));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
        let out = "";
        p.stdout.on("data", (d) => (out += d));
        p.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const values = await Promise.all([run(), run(), run(), run()]);
    assert.equal(new Set(values).size, 1, values.join(","));
    assert.equal(readOrCreateSecret(file, () => "never"), values[0]);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["race"], "no temp files left");
    fs.rmSync(dir, { recursive: true });
  });
});
