import assert from "node:assert/strict";
import crypto from "node:crypto";
import { describe, test } from "node:test";
import { openCredentials, sealCredentials } from "./credentials";
import { redactUrls } from "../ffmpeg/redact";
import { parseStreamUrl, StreamUrlError, withCredentials } from "./stream-url";

describe("credential sealing (AES-256-GCM)", () => {
  const key = crypto.randomBytes(32);
  test("round trip, random IV each time, nothing readable", () => {
    const creds = { username: "admin", password: "pä$$:w@rd/🦉" };
    const a = sealCredentials(creds, key);
    const b = sealCredentials(creds, key);
    assert.notEqual(a, b);
    assert.deepEqual(openCredentials(a, key), creds);
    assert.equal(a.includes("admin"), false);
    assert.equal(Buffer.from(a.split(".")[3], "base64url").toString("latin1").includes("admin"), false);
  });
  test("a changed byte or another key fails", () => {
    const sealed = sealCredentials({ username: "u", password: "p" }, key);
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3], "base64url");
    ct[0] ^= 1;
    assert.throws(() => openCredentials([parts[0], parts[1], parts[2], ct.toString("base64url")].join("."), key));
    assert.throws(() => openCredentials(sealed, crypto.randomBytes(32)));
    assert.throws(() => openCredentials("v0.x.y.z", key), /format/);
  });
});

describe("parseStreamUrl", () => {
  const ok: [string, string, string, number, { username: string; password: string } | null][] = [
    ["rtsp://192.168.1.20/stream1", "rtsp://192.168.1.20/stream1", "192.168.1.20", 554, null],
    ["  RTSP://Cam.Local:8554/main  ", "rtsp://cam.local:8554/main", "cam.local", 8554, null],
    ["rtsp://admin:s3cr%40t@10.0.0.5:554/h264?channel=1", "rtsp://10.0.0.5/h264?channel=1", "10.0.0.5", 554, { username: "admin", password: "s3cr@t" }],
    ["rtsps://cam.example:322/live#frag", "rtsps://cam.example/live", "cam.example", 322, null],
    ["rtsp://[fe80::1]:554/x", "rtsp://[fe80::1]/x", "[fe80::1]", 554, null],
  ];
  for (const [input, url, host, port, credentials] of ok) {
    test(`ok: ${input.trim()}`, () => assert.deepEqual(parseStreamUrl(input), { url, host, port, credentials }));
  }
  const bad: [string, string][] = [
    ["", "invalid_url"],
    ["not a url", "invalid_url"],
    ["http://cam/stream", "unsupported_scheme"],
    ["javascript:alert(1)", "unsupported_scheme"],
    ["rtsp:///path", "missing_host"],
    ["rtsp://cam/with space", "invalid_url"],
    ["rtsp://cam/\nx", "invalid_url"],
    ["rtsp://" + "a".repeat(3000), "invalid_url"],
  ];
  for (const [input, problem] of bad) {
    test(`bad: ${JSON.stringify(input.slice(0, 30))} → ${problem}`, () => {
      assert.throws(() => parseStreamUrl(input), (e: unknown) => e instanceof StreamUrlError && e.problem === problem);
    });
  }
});

describe("credentials in URLs", () => {
  test("withCredentials encodes, redactUrls hides", () => {
    const full = withCredentials("rtsp://10.0.0.5/h264", { username: "ad min", password: "p@ss:word" });
    assert.equal(full, "rtsp://ad%20min:p%40ss%3Aword@10.0.0.5/h264");
    assert.equal(parseStreamUrl(full).credentials?.password, "p@ss:word");
    assert.equal(redactUrls(`ffmpeg failed on ${full}: 401`), "ffmpeg failed on rtsp://***@10.0.0.5/h264: 401");
    assert.equal(redactUrls("rtsp://a:b@x/1 and rtsps://c@y/2"), "rtsp://***@x/1 and rtsps://***@y/2");
    assert.equal(withCredentials("rtsp://x/1", null), "rtsp://x/1");
  });
});
