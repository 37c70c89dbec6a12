import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkPasswordRules, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  test("hashes with argon2id and a random salt, and verifies", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(a, b, "two hashes of one password differ (salt)");
    assert.equal(await verifyPassword(a, "correct horse battery"), true);
    assert.equal(await verifyPassword(a, "correct horse batterY"), false);
  });

  test("a malformed hash never matches", async () => {
    assert.equal(await verifyPassword("not-a-hash", "anything at all"), false);
  });
});

describe("password rules", () => {
  const cases: [string, string | null, string | null][] = [
    ["short", null, "too_short"],
    ["123456789", null, "too_short"],
    ["x".repeat(257), null, "too_long"],
    ["1234567890", null, "common"],
    ["password123", null, "common"],
    ["Qwertyuiop", null, "common"], // case-insensitive
    ["aaaaaaaaaaaa", null, "common"],
    ["abababababab", null, "common"],
    ["alexander1!", "alexander@example.com", "contains_email"],
    ["correct horse battery", null, null],
    ["tästä-tulee-hyvä", null, null],
    ["🦉🦉🦉🦉🦉nightjar", null, null],
  ];
  for (const [password, email, expected] of cases) {
    test(`${JSON.stringify(password.slice(0, 20))} → ${expected}`, () => {
      assert.equal(checkPasswordRules(password, email), expected);
    });
  }
});
