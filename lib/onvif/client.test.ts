import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { startOnvifService, type OnvifService } from "../simulator/onvif-service";
import { OnvifError, createOnvifClient, identifyCamera, readProfiles, resolveMediaUri, resolveXaddr, sortProfilesBySize } from "./client";
import { parseEnvelope } from "./soap";

// Loopback addresses of this file (other test files use other 127.0.x.0/24 blocks), HTTP ports picked by the kernel.
const HOST = "127.0.30.1";
const CREDS = { username: "admin", password: "correct horse" };
const SIM = { ...CREDS, manufacturer: "Nightjar", model: "SimCam 2000", firmware: "1.0.0", serial: "SN-0001", hardwareId: "HW-7", rtspPort: 8554 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    assert.ok(err instanceof OnvifError, String(err));
    return err.code;
  }
}

/** A throwaway HTTP server on HOST with a fixed handler; close() also drops open (hanging) connections. */
async function fakeServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/onvif/device_service`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe("client against the simulated camera", () => {
  let sim: OnvifService;
  before(async () => {
    sim = await startOnvifService({ host: HOST, port: 0, ...SIM });
  });
  after(() => sim.close());

  test("identifyCamera: device information, profiles largest first, stream and snapshot URIs", async () => {
    const id = await identifyCamera({ xaddr: sim.deviceXaddr, ...CREDS, timeoutMs: 3000 });
    assert.deepEqual(id, {
      manufacturer: "Nightjar",
      model: "SimCam 2000",
      firmware: "1.0.0",
      serial: "SN-0001",
      hardwareId: "HW-7",
      deviceXaddr: sim.deviceXaddr,
      profiles: [
        { token: "main", name: "main", width: 1920, height: 1080, fps: 25, bitrateKbps: 4000, encoding: "H264", streamUri: `rtsp://${HOST}:8554/main` },
        { token: "sub", name: "sub", width: 640, height: 360, fps: 25, bitrateKbps: 512, encoding: "H264", streamUri: `rtsp://${HOST}:8554/sub` },
      ],
      mainToken: "main",
      subToken: "sub",
      snapshotUri: `http://${HOST}:${sim.port}/snapshot.jpg`,
      ptz: null,
    });
  });

  test("identifyCamera on a PTZ camera: the PTZ service and the profile to steer; moves, status and presets", async () => {
    const ptzCam = await startOnvifService({ host: "127.0.30.2", port: 0, ...SIM, ptz: true });
    try {
      const id = await identifyCamera({ xaddr: ptzCam.deviceXaddr, ...CREDS, timeoutMs: 3000 });
      assert.deepEqual(id.ptz, { xaddr: ptzCam.ptzXaddr, profileToken: "main" });
      // A client given the stored PTZ address asks nothing else first.
      const c = createOnvifClient({ xaddr: ptzCam.deviceXaddr, ...CREDS, ptzXaddr: id.ptz!.xaddr });
      await c.syncClock();
      const ptz = c.ptz("main");
      await ptz.absoluteMove({ pan: 0.5, tilt: -0.5, zoom: 0.25 });
      assert.deepEqual(await ptz.getStatus(), { position: { pan: 0.5, tilt: -0.5, zoom: 0.25 }, moving: { panTilt: false, zoom: false } });
      assert.equal(ptzCam.calls.GetServices, 1, "only identifyCamera asked for the services");
      const token = await ptz.setPreset("Gate & drive");
      await ptz.relativeMove({ pan: -0.5 });
      assert.deepEqual((await ptz.getStatus()).position, { pan: 0, tilt: -0.5, zoom: 0.25 });
      await ptz.gotoPreset(token);
      assert.deepEqual(await ptz.getPresets(), [{ token, name: "Gate & drive", position: { pan: 0.5, tilt: -0.5, zoom: 0.25 } }]);
      await ptz.continuousMove({ pan: -1 }, 5000);
      assert.equal((await ptz.getStatus()).moving.panTilt, true);
      await ptz.stop();
      assert.equal((await ptz.getStatus()).moving.panTilt, false);
      await ptz.setHome();
      await ptz.absoluteMove({ pan: 0, tilt: 0, zoom: 0 });
      await ptz.gotoHome();
      assert.notDeepEqual((await ptz.getStatus()).position, { pan: 0, tilt: 0, zoom: 0 });
      await ptz.removePreset(token);
      assert.deepEqual(await ptz.getPresets(), []);
      assert.equal(await codeOf(ptz.gotoPreset(token)), "bad_response");
      // A fixed camera has no PTZ service: the client says so instead of posting somewhere.
      const fixed = createOnvifClient({ xaddr: sim.deviceXaddr, ...CREDS });
      assert.equal(await fixed.getPtzXaddr(), null);
      await assert.rejects(fixed.ptz("main").getStatus(), /no PTZ service/);
    } finally {
      await ptzCam.close();
    }
  });

  test("identifyCamera by host + port; firmware changes are seen", async () => {
    sim.setFirmware("1.0.1");
    const id = await identifyCamera({ host: HOST, port: sim.port, ...CREDS, timeoutMs: 3000 });
    assert.equal(id.firmware, "1.0.1");
    sim.setFirmware("1.0.0");
  });

  test("single calls: media XAddr from GetCapabilities and GetServices", async () => {
    const c = createOnvifClient({ xaddr: sim.deviceXaddr, ...CREDS, timeoutMs: 2000 });
    assert.deepEqual(await c.getCapabilities(), { mediaXaddr: sim.mediaXaddr });
    assert.deepEqual(await c.getServices(), { mediaXaddr: sim.mediaXaddr });
    assert.equal((await c.getDeviceInformation()).serialNumber, "SN-0001");
    assert.equal(await c.getStreamUri("sub"), `rtsp://${HOST}:8554/sub`);
    assert.equal(await codeOf(c.getStreamUri("nope")), "bad_response");
  });

  test("wrong password → auth_failed; no credentials → auth_failed", async () => {
    assert.equal(await codeOf(identifyCamera({ xaddr: sim.deviceXaddr, username: "admin", password: "wrong", timeoutMs: 3000 })), "auth_failed");
    assert.equal(await codeOf(createOnvifClient({ xaddr: sim.deviceXaddr }).getDeviceInformation()), "auth_failed");
    // The unauthenticated calls still work without credentials.
    assert.ok((await createOnvifClient({ xaddr: sim.deviceXaddr }).getSystemDateAndTime()) instanceof Date);
  });
});

describe("client and cameras with problems", () => {
  test("a camera reporting another host (NAT): the reached host is used for XAddrs and URIs", async () => {
    const sim = await startOnvifService({ host: HOST, port: 0, ...SIM, reportedHost: "192.0.2.123" });
    try {
      const id = await identifyCamera({ xaddr: sim.deviceXaddr, ...CREDS, timeoutMs: 3000 });
      assert.equal(id.profiles[0].streamUri, `rtsp://${HOST}:8554/main`);
      assert.equal(id.snapshotUri, `http://${HOST}:${sim.port}/snapshot.jpg`);
    } finally {
      await sim.close();
    }
  });

  test("a camera whose clock is an hour off: the client syncs to it", async () => {
    const skewed = { now: () => new Date(Date.now() + 3_600_000) };
    const sim = await startOnvifService({ host: HOST, port: 0, ...SIM, clock: skewed });
    try {
      const c = createOnvifClient({ xaddr: sim.deviceXaddr, ...CREDS, timeoutMs: 2000 });
      assert.equal(await codeOf(c.getDeviceInformation()), "auth_failed", "without sync the token is stale");
      const offset = await c.syncClock();
      assert.ok(Math.abs(offset - 3_600_000) < 2_000, `offset ${offset}`);
      assert.equal((await c.getDeviceInformation()).model, "SimCam 2000");
      assert.equal((await identifyCamera({ xaddr: sim.deviceXaddr, ...CREDS, timeoutMs: 3000 })).model, "SimCam 2000");
    } finally {
      await sim.close();
    }
  });

  test("an HTTP server answering HTML → not_onvif", async () => {
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!DOCTYPE html><html><body><h1>Router login</h1></body></html>");
    });
    try {
      assert.equal(await codeOf(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 2000 })), "not_onvif");
    } finally {
      await srv.close();
    }
  });

  test("a 404 → not_onvif", async () => {
    const srv = await fakeServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
    });
    try {
      assert.equal(await codeOf(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 2000 })), "not_onvif");
    } finally {
      await srv.close();
    }
  });

  test("a closed port → unreachable", async () => {
    const srv = await fakeServer(() => {});
    await srv.close();
    assert.equal(await codeOf(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 2000 })), "unreachable");
  });

  test("a server that never answers → timeout within the given time", async () => {
    const srv = await fakeServer(() => {});
    try {
      const start = Date.now();
      assert.equal(await codeOf(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 300 })), "timeout");
      // Never before its time (a causal bound); how long after depends on the machine's load.
      const took = Date.now() - start;
      assert.ok(took >= 280, `took ${took} ms`);
    } finally {
      await srv.close();
    }
  });

  test("a server that sends headers then stalls the body → timeout", async () => {
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/soap+xml" });
      res.write("<s:Envelope");
    });
    try {
      assert.equal(await codeOf(createOnvifClient({ xaddr: srv.url, timeoutMs: 300 }).getSystemDateAndTime()), "timeout");
    } finally {
      await srv.close();
    }
  });

  test("a hostile XML answer (billion laughs) → bad_response", async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>&lol2;</s:Body></s:Envelope>`;
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/soap+xml" });
      res.end(lol);
    });
    try {
      assert.equal(await codeOf(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 2000 })), "bad_response");
    } finally {
      await srv.close();
    }
  });

  test("an endless chunked answer → too_large, without reading it all", async () => {
    let sent = 0;
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/soap+xml" });
      const chunk = "<x>" + "a".repeat(64 * 1024) + "</x>";
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 50 * 1024 * 1024) res.once("drain", pump);
      };
      pump();
    });
    try {
      assert.equal(await codeOf(createOnvifClient({ xaddr: srv.url, timeoutMs: 3000 }).getSystemDateAndTime()), "too_large");
      assert.ok(sent < 10 * 1024 * 1024, `server pushed ${sent} bytes`);
    } finally {
      await srv.close();
    }
  });

  test("a declared Content-Length over the cap → too_large before reading", async () => {
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/soap+xml", "content-length": String(10 * 1024 * 1024) });
      res.write("<s:Envelope>");
    });
    try {
      assert.equal(await codeOf(createOnvifClient({ xaddr: srv.url, timeoutMs: 2000 }).getSystemDateAndTime()), "too_large");
    } finally {
      await srv.close();
    }
  });

  test("the caller's AbortSignal cancels promptly", async () => {
    const srv = await fakeServer(() => {});
    try {
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 50);
      // An AbortError, not the 5 s timeout: the signal ended it.
      await assert.rejects(identifyCamera({ xaddr: srv.url, ...CREDS, timeoutMs: 5000, signal: ctrl.signal }), (e: unknown) => (e as Error).name === "AbortError");
    } finally {
      await srv.close();
    }
  });
});

describe("pure parts of the client", () => {
  const reached = "http://10.0.0.5:8080/onvif/device_service";
  const xaddrCases: [string | undefined, string | null][] = [
    ["http://10.0.0.5:8080/onvif/media_service", "http://10.0.0.5:8080/onvif/media_service"],
    ["/onvif/media_service", "http://10.0.0.5:8080/onvif/media_service"],
    ["http://192.168.1.64/onvif/Media", "http://10.0.0.5:8080/onvif/Media"],
    ["https://192.168.1.64:443/onvif/Media?x=1", "http://10.0.0.5:8080/onvif/Media?x=1"],
    ["http://10.0.0.5:81/onvif/media", "http://10.0.0.5:81/onvif/media"],
    ["http://10.0.0.5/a http://[fe80::1]/a", "http://10.0.0.5/a"],
    ["", null],
    [undefined, null],
    ["ftp://10.0.0.5/x", null],
    ["http://[::1", null],
  ];
  for (const [reported, out] of xaddrCases) test(`resolveXaddr(${reported})`, () => assert.equal(resolveXaddr(reported, reached), out));

  const uriCases: [string, string | null][] = [
    ["rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast", "rtsp://10.0.0.5:554/Streaming/Channels/101?transportmode=unicast"],
    ["rtsp://10.0.0.5/live", "rtsp://10.0.0.5/live"],
    ["http://0.0.0.0/snap.jpg", "http://10.0.0.5/snap.jpg"],
    ["/snap.jpg", "http://10.0.0.5:8080/snap.jpg"],
  ];
  for (const [reported, out] of uriCases) test(`resolveMediaUri(${reported})`, () => assert.equal(resolveMediaUri(reported, reached), out));

  test("readProfiles: several encoders, a profile without video, junk numbers", () => {
    const body = parseEnvelope(`<s:Envelope xmlns:s="x"><s:Body><trt:GetProfilesResponse xmlns:trt="y" xmlns:tt="z">
      <trt:Profiles token="Profile_1"><tt:Name>mainStream</tt:Name><tt:VideoEncoderConfiguration token="V1"><tt:Encoding>H265</tt:Encoding>
        <tt:Resolution><tt:Width>2560</tt:Width><tt:Height>1440</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>20</tt:FrameRateLimit><tt:BitrateLimit>6144</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration></trt:Profiles>
      <trt:Profiles token="audio"><tt:Name>audio only</tt:Name></trt:Profiles>
      <trt:Profiles token="P3"><tt:VideoEncoderConfiguration><tt:Encoding>JPEG</tt:Encoding><tt:Resolution><tt:Width>x</tt:Width><tt:Height>-1</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles>
      <trt:Profiles><tt:Name>no token</tt:Name></trt:Profiles>
    </trt:GetProfilesResponse></s:Body></s:Envelope>`).body;
    assert.deepEqual(readProfiles(body), [
      { token: "Profile_1", name: "mainStream", encoding: "H265", width: 2560, height: 1440, fps: 20, bitrateKbps: 6144, ptzConfigurationToken: null },
      { token: "audio", name: "audio only", encoding: null, width: null, height: null, fps: null, bitrateKbps: null, ptzConfigurationToken: null },
      { token: "P3", name: "P3", encoding: "JPEG", width: null, height: null, fps: null, bitrateKbps: null, ptzConfigurationToken: null },
    ]);
  });

  test("sortProfilesBySize: pixels, then bitrate", () => {
    const p = (token: string, width: number, height: number, bitrateKbps: number | null) => ({ token, width, height, bitrateKbps, fps: null });
    assert.deepEqual(sortProfilesBySize([p("a", 640, 360, 512), p("b", 1920, 1080, 2048), p("c", 1920, 1080, 4096), p("d", 704, 576, null)]).map((x) => x.token), ["c", "b", "d", "a"]);
  });
});
