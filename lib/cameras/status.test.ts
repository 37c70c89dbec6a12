import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cseqOf, startRtspPeer } from "../testing/rtsp-peer";
import { authorizationFor, checkRtsp, parseRtspResponse } from "./rtsp-check";
import { nextCameraStatus, type CheckOutcome, type StatusSnapshot } from "./status";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("nextCameraStatus", () => {
  const run = (outcomes: CheckOutcome[]) => {
    let status: StatusSnapshot | null = null;
    const kinds: string[] = [];
    outcomes.forEach((o, i) => {
      const next = nextCameraStatus(status, o, t(i * 10));
      status = next.status;
      kinds.push(...next.events.map((e) => e.kind));
    });
    return { status: status!, kinds };
  };
  const ok: CheckOutcome = { ok: true };
  const fail: CheckOutcome = { ok: false, problem: "unreachable" };
  const cases: [string, CheckOutcome[], string, string[]][] = [
    ["first answer: online", [ok], "online", ["online"]],
    ["stays online quietly", [ok, ok, ok], "online", ["online"]],
    ["one failure is not an outage", [ok, fail], "online", ["online", "error"]],
    ["two failures: offline", [ok, fail, fail], "offline", ["online", "error", "offline"]],
    ["recovers", [ok, fail, fail, fail, ok], "online", ["online", "error", "offline", "online"]],
    ["a different problem is logged", [ok, fail, { ok: false, problem: "auth_failed" }], "offline", ["online", "error", "error", "offline"]],
    ["never answered", [fail, fail], "offline", ["error", "offline"]],
    ["the recorder's stall is decisive: offline at once", [ok, { ok: false, problem: "stream_stalled", isDecisive: true }], "offline", ["online", "error", "offline"]],
    ["back after a decisive outage", [ok, { ok: false, problem: "stream_stalled", isDecisive: true }, ok], "online", ["online", "error", "offline", "online"]],
    ["firmware change", [{ ok: true, firmware: "1.0" }, { ok: true, firmware: "1.1" }], "online", ["online", "firmware_changed"]],
  ];
  for (const [name, outcomes, state, kinds] of cases) {
    test(name, () => {
      const r = run(outcomes);
      assert.equal(r.status.state, state);
      assert.deepEqual(r.kinds, kinds);
    });
  }
  test("since marks the transition; lastSeenAt the last answer", () => {
    const r = run([ok, ok, fail, fail]);
    assert.deepEqual(r.status.since, t(30));
    assert.deepEqual(r.status.lastSeenAt, t(10));
  });
});

describe("RTSP check client", () => {
  test("parses responses with and without bodies, and incomplete ones", () => {
    assert.equal(parseRtspResponse("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"), null);
    const r = parseRtspResponse("RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nv=0\r\nRTSP/1.0");
    assert.equal(r?.response.status, 200);
    assert.equal(r?.response.body, "v=0\r\n");
    assert.equal(r?.rest, "RTSP/1.0");
    assert.equal(parseRtspResponse("RTSP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc"), null);
    assert.throws(() => parseRtspResponse("HTTP/1.1 200 OK\r\n\r\n"));
  });

  test("Digest response matches RFC 2617's example", () => {
    const header = authorizationFor('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"', "GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b");
    assert.match(header!, /response="6629fae49393a05397450978507c4ef1"/);
    assert.match(header!, /qop=auth, nc=00000001, cnonce="0a4f113b"/);
    assert.equal(authorizationFor("Basic realm=x", "DESCRIBE", "rtsp://h/", "a", "b"), "Basic YTpi");
    assert.equal(authorizationFor("Bearer", "DESCRIBE", "rtsp://h/", "a", "b"), null);
  });

  const peer = startRtspPeer;
  const cseq = cseqOf;

  test("OPTIONS + DESCRIBE with a Digest challenge; bytes counted", async () => {
    const p = await peer((req) => {
      if (req.startsWith("OPTIONS")) return `RTSP/1.0 200 OK\r\nCSeq: ${cseq(req)}\r\nPublic: DESCRIBE\r\n\r\n`;
      if (!/Authorization: Digest/.test(req)) return `RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq(req)}\r\nWWW-Authenticate: Digest realm="cam", nonce="abc"\r\n\r\n`;
      const expected = authorizationFor('Digest realm="cam", nonce="abc"', "DESCRIBE", `rtsp://127.0.0.1:${p.port}/main`, "admin", "good")!;
      const ok = req.includes(/response="[0-9a-f]+"/.exec(expected)![0]);
      return ok ? `RTSP/1.0 200 OK\r\nCSeq: ${cseq(req)}\r\nContent-Length: 4\r\n\r\nv=0\n` : `RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq(req)}\r\nWWW-Authenticate: Digest realm="cam", nonce="abc"\r\n\r\n`;
    });
    try {
      const url = `rtsp://127.0.0.1:${p.port}/main`;
      const good = await checkRtsp(url, { timeoutMs: 2000, describe: true, credentials: { username: "admin", password: "good" } });
      assert.equal(good.ok, true);
      assert.equal(good.ok && good.sdp, "v=0\n");
      assert.ok(good.bytes > 200 && good.bytes < 2000, `bytes ${good.bytes}`);
      const bad = await checkRtsp(url, { timeoutMs: 2000, describe: true, credentials: { username: "admin", password: "bad" } });
      assert.deepEqual([bad.ok, !bad.ok && bad.problem], [false, "auth_failed"]);
      const none = await checkRtsp(url, { timeoutMs: 2000, describe: true, credentials: null });
      assert.equal(!none.ok && none.problem, "auth_failed");
    } finally {
      await p.close();
    }
  });

  test("refused, silent, and non-RTSP peers", async () => {
    const closed = await peer(() => null);
    await closed.close();
    const refused = await checkRtsp(`rtsp://127.0.0.1:${closed.port}/x`, { timeoutMs: 1000, describe: false, credentials: null });
    assert.equal(!refused.ok && refused.problem, "unreachable");
    const silent = await peer(() => null);
    // A peer that never answers: the check ends by its own timeout (it would otherwise wait forever) and says so.
    const quiet = await checkRtsp(`rtsp://127.0.0.1:${silent.port}/x`, { timeoutMs: 300, describe: false, credentials: null });
    assert.equal(!quiet.ok && quiet.problem, "timeout");
    await silent.close();
    const web = await peer(() => "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    const http = await checkRtsp(`rtsp://127.0.0.1:${web.port}/x`, { timeoutMs: 1000, describe: false, credentials: null });
    assert.equal(!http.ok && http.problem, "bad_response");
    await web.close();
    const missing = await peer((req) => `RTSP/1.0 ${req.startsWith("OPTIONS") ? "200 OK" : "404 Not Found"}\r\nCSeq: ${cseq(req)}\r\n\r\n`);
    const gone = await checkRtsp(`rtsp://127.0.0.1:${missing.port}/x`, { timeoutMs: 1000, describe: true, credentials: null });
    assert.equal(!gone.ok && gone.problem, "not_found");
    await missing.close();
  });
});
