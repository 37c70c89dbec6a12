// The shared RBSP reading of the H.264 and H.265 SPS parsers: emulation prevention removal and the bit codes, as tables.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BitReader, unescapeRbsp } from "./rbsp";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));

describe("unescapeRbsp", () => {
  const cases: [string, string, string][] = [
    ["00 00 03 0x → 00 00 0x", "0000030100000300", "000001000000"],
    ["a 03 after one zero stays", "000301", "000301"],
    ["back-to-back escapes: the zero count restarts after each", "000003000003", "00000000"],
    ["a trailing 00 00 03 (cabac_zero_words) loses its 03", "aa000003", "aa0000"],
    ["nothing to remove", "42010160", "42010160"],
  ];
  for (const [name, input, output] of cases) test(name, () => assert.equal(Buffer.from(unescapeRbsp(hex(input))).toString("hex"), output));
});

describe("BitReader", () => {
  type Step = ["u", number] | ["ue"] | ["se"] | ["skip", number];
  const cases: [string, string, Step[], (number | undefined)[]][] = [
    ["u(n) MSB first, across bytes", "a5c3", [["u", 4], ["u", 8], ["u", 4]], [0xa, 0x5c, 0x3]],
    ["ue(v): 1 → 0, 010 → 1, 011 → 2, 00100 → 3, 00111 → 6", "a64380", [["ue"], ["ue"], ["ue"], ["ue"], ["ue"]], [0, 1, 2, 3, 6]],
    ["se(v): 1 → 0, 010 → 1, 011 → −1, 00100 → 2, 00101 → −2", "a64280", [["se"], ["se"], ["se"], ["se"], ["se"]], [0, 1, -1, 2, -2]],
    ["skip(n) then u", "0f", [["skip", 4], ["u", 4]], [undefined, 15]],
    ["the longest ue: 31 zeros, a one, 31 ones → 2^32 − 2", "00000001fffffffe", [["ue"]], [2 ** 32 - 2]],
  ];
  for (const [name, data, steps, expect] of cases)
    test(name, () => {
      const bits = new BitReader(hex(data));
      const got = steps.map((s) => (s[0] === "u" ? bits.u(s[1]) : s[0] === "ue" ? bits.ue() : s[0] === "se" ? bits.se() : bits.skip(s[1])));
      assert.deepEqual(got, expect);
    });

  const errors: [string, string, (b: BitReader) => unknown, RegExp][] = [
    ["u past the end", "ff", (b) => b.u(9), /^Error: SPS truncated$/],
    ["skip past the end", "ff", (b) => b.skip(9), /SPS truncated/],
    ["ue whose value bits are missing", "01", (b) => b.ue(), /SPS truncated/],
    ["ue of 32 leading zeros", "0000000080", (b) => b.ue(), /bad Exp-Golomb code/],
  ];
  for (const [name, data, read, error] of errors) test(name, () => assert.throws(() => read(new BitReader(hex(data), "SPS")), error));
});
