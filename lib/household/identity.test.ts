// Names refuse control characters and bidirectional overrides; everything else people write is kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { displayNameSchema, nameSchema } from "./identity";

test("names: control and bidi-override characters are refused, every script and emoji is kept", () => {
  const refused = ["Front\u0000door", "Front\ndoor", "Tab\there", "a\u007f", "a\u0085b", "Invoice\u202Egpj.exe", "x\u202Ay", "x\u2066y\u2069", "\u202D"];
  for (const s of refused) {
    const r = nameSchema.safeParse(s);
    assert.equal(r.success, false, JSON.stringify(s));
    assert.equal(r.error!.issues[0].message, "invalid_characters", JSON.stringify(s));
  }
  for (const s of ["Front door", "Voordeur 🚪", "Kamera Süd", "שער", "カメラ", "  Trimmed  ", "O'Brien-Smith (garage)"]) assert.equal(nameSchema.parse(s), s.trim());
  assert.equal(displayNameSchema.safeParse("Bob\u202E").success, false, "display names follow the same rule");
  assert.equal(nameSchema.safeParse("").success, false);
  assert.equal(nameSchema.safeParse("x".repeat(81)).success, false);
});
