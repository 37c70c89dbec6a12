import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DiscoveryError, MAX_SWEEP_ADDRESSES, formatIpv4, parseAddressRange, parseIpv4 } from "./ranges";

const run = (input: string): string[] | string => {
  try {
    return parseAddressRange(input);
  } catch (err) {
    assert.ok(err instanceof DiscoveryError, String(err));
    return err.code;
  }
};

test("loopback ranges only when explicitly allowed; the other special blocks never", () => {
  assert.deepEqual(parseAddressRange("127.0.0.10-12", { allowLoopback: true }), ["127.0.0.10", "127.0.0.11", "127.0.0.12"]);
  assert.throws(() => parseAddressRange("224.0.0.1", { allowLoopback: true }), (e: unknown) => e instanceof DiscoveryError && e.code === "range_not_allowed");
  assert.throws(() => parseAddressRange("127.0.0.1"), /DISCOVERY_ALLOW_LOOPBACK/);
});

describe("parseAddressRange", () => {
  // Each row: what the admin typed → the addresses (or, for long ones, [count, first, last]) or the error code.
  const cases: { input: string; out: string[] | [number, string, string] | string }[] = [
    { input: "192.168.1.20", out: ["192.168.1.20"] },
    { input: "  192.168.1.20  ", out: ["192.168.1.20"] },
    { input: "192.168.1.10-192.168.1.12", out: ["192.168.1.10", "192.168.1.11", "192.168.1.12"] },
    { input: "192.168.1.10-12", out: ["192.168.1.10", "192.168.1.11", "192.168.1.12"] },
    { input: "192.168.1.10 - 12", out: ["192.168.1.10", "192.168.1.11", "192.168.1.12"] },
    { input: "192.168.1.254-192.168.2.1", out: ["192.168.1.254", "192.168.1.255", "192.168.2.0", "192.168.2.1"] },
    { input: "192.168.1.5-5", out: ["192.168.1.5"] },
    { input: "192.168.1.0/24", out: [254, "192.168.1.1", "192.168.1.254"] },
    { input: "192.168.1.77/24", out: [254, "192.168.1.1", "192.168.1.254"] },
    { input: "10.0.0.0/30", out: ["10.0.0.1", "10.0.0.2"] },
    { input: "10.0.0.0/31", out: ["10.0.0.0", "10.0.0.1"] },
    { input: "10.0.0.9/32", out: ["10.0.0.9"] },
    { input: "10.0.0.0/22", out: [1022, "10.0.0.1", "10.0.3.254"] },
    { input: "10.0.0.1, 10.0.0.2 10.0.0.3;10.0.0.1", out: ["10.0.0.1", "10.0.0.2", "10.0.0.3"] },
    { input: "10.0.0.5\n10.0.0.0/30", out: ["10.0.0.5", "10.0.0.1", "10.0.0.2"] },
    { input: "10.0.0.0-10.0.3.255", out: [1024, "10.0.0.0", "10.0.3.255"] },
    // Too large
    { input: "10.0.0.0/21", out: "range_too_large" },
    { input: "0.0.0.0/0", out: "range_too_large" },
    { input: "10.0.0.0-10.0.4.0", out: "range_too_large" },
    { input: "10.0.0.0/22 10.1.0.0/24", out: "range_too_large" },
    // Garbage
    { input: "", out: "invalid_range" },
    { input: " , ", out: "invalid_range" },
    { input: "camera.local", out: "invalid_range" },
    { input: "192.168.1.256", out: "invalid_range" },
    { input: "192.168.1", out: "invalid_range" },
    { input: "192.168.01.1", out: "invalid_range" },
    { input: "192.168.1.1/33", out: "invalid_range" },
    { input: "192.168.1.20-10", out: "invalid_range" },
    { input: "192.168.1.10-256", out: "invalid_range" },
    { input: "192.168.2.1-192.168.1.1", out: "invalid_range" },
    { input: "fe80::1", out: "invalid_range" },
    { input: "192.168.1.1/24/8", out: "invalid_range" },
    { input: "10.0.0.1, nonsense", out: "invalid_range" },
    // Addresses no camera has
    { input: "0.0.0.1", out: "range_not_allowed" },
    { input: "0.0.0.0/24", out: "range_not_allowed" },
    { input: "224.0.0.250-255", out: "range_not_allowed" },
    { input: "239.255.255.250", out: "range_not_allowed" },
    { input: "255.255.255.255", out: "range_not_allowed" },
    { input: "250.1.1.0/24", out: "range_not_allowed" },
    { input: "192.168.1.10, 224.0.0.1", out: "range_not_allowed" },
    { input: "127.0.0.10-12", out: "range_not_allowed" },
    { input: "223.255.255.254", out: ["223.255.255.254"] },
    { input: "1.0.0.0/30", out: ["1.0.0.1", "1.0.0.2"] },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.input)} → ${typeof c.out === "string" ? c.out : c.out.length}`, () => {
      const got = run(c.input);
      if (typeof c.out === "string" || typeof c.out[0] === "string") assert.deepEqual(got, c.out);
      else {
        assert.ok(Array.isArray(got), String(got));
        assert.deepEqual([got.length, got[0], got.at(-1)], c.out);
      }
    });
  }

  test("never more than the cap, never a duplicate", () => {
    const got = parseAddressRange("10.0.0.0/22 10.0.0.0-10.0.0.255");
    assert.ok(got.length <= MAX_SWEEP_ADDRESSES);
    assert.equal(new Set(got).size, got.length);
  });
});

describe("parseIpv4 / formatIpv4", () => {
  const cases: [string, number | null][] = [
    ["0.0.0.0", 0],
    ["255.255.255.255", 0xffffffff],
    ["192.168.1.1", 0xc0a80101],
    ["1.2.3", null],
    ["1.2.3.4.5", null],
    ["01.2.3.4", null],
    ["1.2.3.-4", null],
  ];
  for (const [s, n] of cases) {
    test(s, () => {
      assert.equal(parseIpv4(s), n);
      if (n !== null) assert.equal(formatIpv4(n), s);
    });
  }
});
