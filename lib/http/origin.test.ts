// The CSRF / DNS-rebinding rule, table-style: each case pairs Origin and Host with the verdict.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkStateChangingRequest, isKnownHost, splitHost, type OriginPolicy } from "./origin";

const policy: OriginPolicy = { publicUrl: "https://nvr.home.arpa", allowedHosts: ["nas.local", "nvr.example.net:8443"] };

describe("checkStateChangingRequest", () => {
  const cases: [string | null, string | null, "ok" | "unknown_host" | "bad_origin"][] = [
    ["https://nvr.home.arpa", "nvr.home.arpa", "ok"],
    [null, "nvr.home.arpa", "ok"],
    ["http://192.168.1.5:3000", "192.168.1.5:3000", "ok"],
    [null, "192.168.1.5:3000", "ok"],
    ["http://[fd00::5]:3000", "[fd00::5]:3000", "ok"],
    ["http://localhost:3000", "localhost:3000", "ok"],
    ["http://nas.local:3000", "nas.local:3000", "ok"],
    ["http://NAS.local.:3000", "nas.local:3000", "ok"],
    ["https://nvr.example.net:8443", "nvr.example.net:8443", "ok"],
    // Behind a reverse proxy that does not pass the public host on: the Origin is PUBLIC_URL.
    ["https://nvr.home.arpa", "127.0.0.1:3000", "ok"],
    // DNS rebinding: the attacker's name resolves to this server; same-origin from the browser's view.
    ["http://rebind.attacker.example:3000", "rebind.attacker.example:3000", "unknown_host"],
    [null, "rebind.attacker.example:3000", "unknown_host"],
    ["https://nvr.example.net:9999", "nvr.example.net:9999", "unknown_host"],
    [null, null, "unknown_host"],
    [null, "", "unknown_host"],
    [null, "evil host", "unknown_host"],
    // CSRF: a page elsewhere posting into Nightjar.
    ["https://evil.example", "nvr.home.arpa", "bad_origin"],
    ["http://192.168.1.6:3000", "192.168.1.5:3000", "bad_origin"],
    ["http://192.168.1.5:3001", "192.168.1.5:3000", "bad_origin"],
    ["null", "192.168.1.5:3000", "bad_origin"],
    ["file:///x", "192.168.1.5:3000", "bad_origin"],
  ];
  for (const [origin, host, want] of cases) {
    test(`Origin ${origin} Host ${host} → ${want}`, () => {
      const v = checkStateChangingRequest({ origin, host }, policy);
      assert.equal(v.ok ? "ok" : v.reason, want);
    });
  }
});

describe("hosts", () => {
  test("splitHost", () => {
    assert.deepEqual(splitHost("Example.ORG:80"), { name: "example.org", port: "80" });
    assert.deepEqual(splitHost("[::1]:3000"), { name: "[::1]", port: "3000" });
    assert.equal(splitHost("a:b:c"), null);
    assert.equal(splitHost(""), null);
  });
  test("an allowed host without a port matches any port; with a port only that one", () => {
    assert.equal(isKnownHost("nas.local:8080", policy), true);
    assert.equal(isKnownHost("nvr.example.net:8443", policy), true);
    assert.equal(isKnownHost("nvr.example.net", policy), false);
  });
});
