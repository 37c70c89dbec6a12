import assert from "node:assert/strict";
import path from "node:path";
import { afterEach, describe, test } from "node:test";
import { getEnv, resetEnvForTests } from "./env";

describe("getEnv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });
  const withEnv = (vars: Record<string, string | undefined>) => {
    for (const k of ["DATA_DIR", "PORT", "PUBLIC_URL", "SESSION_DAYS", "HOST", "TRUST_PROXY"]) delete process.env[k];
    Object.assign(process.env, vars);
    resetEnvForTests();
    return getEnv();
  };

  test("defaults: ./data, port 3000, 30 days, http://localhost:3000", () => {
    const env = withEnv({});
    assert.equal(env.dataDir, path.resolve("data"));
    assert.equal(env.databasePath, path.resolve("data", "nightjar.db"));
    assert.equal(env.PORT, 3000);
    assert.equal(env.SESSION_DAYS, 30);
    assert.equal(env.sessionMaxAgeSeconds, 30 * 86_400);
    assert.equal(env.publicUrl, "http://localhost:3000");
    assert.equal(env.isHttps, false);
    assert.equal(env.TRUST_PROXY, false);
  });

  test("empty strings count as unset; https public URL means secure cookies", () => {
    const env = withEnv({ PORT: "", DATA_DIR: "", PUBLIC_URL: "https://nvr.home.arpa/", TRUST_PROXY: "true" });
    assert.equal(env.PORT, 3000);
    assert.equal(env.publicUrl, "https://nvr.home.arpa");
    assert.equal(env.isHttps, true);
    assert.equal(env.TRUST_PROXY, true);
  });

  test("bad values are reported by name", () => {
    assert.throws(() => withEnv({ PORT: "70000" }), /PORT/);
    assert.throws(() => withEnv({ SESSION_DAYS: "0" }), /SESSION_DAYS/);
    assert.throws(() => withEnv({ PUBLIC_URL: "not a url" }), /PUBLIC_URL/);
  });
});
