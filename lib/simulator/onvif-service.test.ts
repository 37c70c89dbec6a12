import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fakeClock } from "../clock";
import { createUsernameToken } from "../onvif/security";
import { SOAP_CONTENT_TYPE, buildEnvelope, parseEnvelope } from "../onvif/soap";
import { childAt, textAt } from "../onvif/xml";
import { startOnvifService, type OnvifService } from "./onvif-service";

// This file owns 127.0.40.0/24; ports picked by the kernel.
const CREDS = { username: "admin", password: "s3cret" };

describe("simulated ONVIF service", () => {
  let sim: OnvifService;
  before(async () => {
    sim = await startOnvifService({ host: "127.0.40.1", port: 0, ...CREDS, manufacturer: "Nightjar", model: "Sim", firmware: "2.0", serial: "S1", hardwareId: "H1", rtspPort: 9554 });
  });
  after(() => sim.close());

  const post = async (url: string, body: string, security: ReturnType<typeof createUsernameToken> | null = null) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": SOAP_CONTENT_TYPE }, body: buildEnvelope({ body, security }) });
    return { status: res.status, msg: parseEnvelope(new Uint8Array(await res.arrayBuffer())) };
  };
  const token = (password = CREDS.password) => createUsernameToken({ username: CREDS.username, password });

  test("clock and capabilities need no credentials", async () => {
    for (const body of ["<tds:GetSystemDateAndTime/>", "<tds:GetCapabilities/>", "<tds:GetServices/>"]) {
      const r = await post(sim.deviceXaddr, body);
      assert.equal(r.status, 200, body);
      assert.equal(r.msg.fault, null);
    }
  });

  test("everything else needs a valid digest token: 400 + ter:NotAuthorized otherwise", async () => {
    for (const security of [null, token("wrong")]) {
      const r = await post(sim.deviceXaddr, "<tds:GetDeviceInformation/>", security);
      assert.equal(r.status, 400);
      assert.deepEqual(r.msg.fault?.subcodes, ["NotAuthorized"]);
    }
    const ok = await post(sim.deviceXaddr, "<tds:GetDeviceInformation/>", token());
    assert.equal(ok.status, 200);
    assert.equal(textAt(ok.msg.body, "GetDeviceInformationResponse", "FirmwareVersion"), "2.0");
  });

  test("a replayed token is refused", async () => {
    const t = token();
    assert.equal((await post(sim.mediaXaddr, "<trt:GetProfiles/>", t)).status, 200);
    const again = await post(sim.mediaXaddr, "<trt:GetProfiles/>", t);
    assert.equal(again.status, 400);
    assert.match(again.msg.fault!.reason, /replay/);
  });

  test("a token from a clock 10 minutes off is refused", async () => {
    const old = createUsernameToken({ ...CREDS, clock: fakeClock(Date.now() - 10 * 60_000) });
    assert.match((await post(sim.deviceXaddr, "<tds:GetDeviceInformation/>", old)).msg.fault!.reason, /stale/);
  });

  test("media actions live on the media service only; unknown actions fault", async () => {
    const wrong = await post(sim.deviceXaddr, "<trt:GetProfiles/>", token());
    assert.deepEqual(wrong.msg.fault?.subcodes, ["ActionNotSupported"]);
    const unknown = await post(sim.mediaXaddr, "<trt:GetOSDs/>", token());
    assert.deepEqual(unknown.msg.fault?.subcodes, ["ActionNotSupported"]);
  });

  test("GetStreamUri per profile; an unknown token faults", async () => {
    const uri = async (t: string) => post(sim.mediaXaddr, `<trt:GetStreamUri><trt:ProfileToken>${t}</trt:ProfileToken></trt:GetStreamUri>`, token());
    assert.equal(textAt((await uri("main")).msg.body, "GetStreamUriResponse", "MediaUri", "Uri"), "rtsp://127.0.40.1:9554/main");
    assert.equal(textAt((await uri("sub")).msg.body, "GetStreamUriResponse", "MediaUri", "Uri"), "rtsp://127.0.40.1:9554/sub");
    assert.deepEqual((await uri("x")).msg.fault?.subcodes, ["InvalidArgVal", "NoProfile"]);
  });

  test("malformed and hostile requests get a WellFormed fault", async () => {
    for (const body of ["<s:Envelope", `<!DOCTYPE x [<!ENTITY a "b">]><x/>`]) {
      const res = await fetch(sim.deviceXaddr, { method: "POST", body });
      assert.equal(res.status, 400);
      assert.deepEqual(parseEnvelope(new Uint8Array(await res.arrayBuffer())).fault?.subcodes, ["WellFormed"]);
    }
  });

  test("other paths are a 404 HTML page", async () => {
    const res = await fetch(`http://127.0.40.1:${sim.port}/index.html`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    await res.arrayBuffer();
  });

  test("the snapshot is a JPEG when ffmpeg is installed, else 404", async () => {
    const res = await fetch(`http://127.0.40.1:${sim.port}/snapshot.jpg`);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status === 200) {
      assert.equal(res.headers.get("content-type"), "image/jpeg");
      assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    } else assert.equal(res.status, 404);
  });

  test("a fixed camera has no PTZ service: its path is a 404 and PTZ actions elsewhere are not supported", async () => {
    assert.equal(sim.ptzXaddr, null);
    const res = await fetch(`http://127.0.40.1:${sim.port}/onvif/ptz_service`, { method: "POST", body: buildEnvelope({ body: "<tptz:GetNodes/>", security: token() }) });
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    assert.deepEqual((await post(sim.mediaXaddr, "<tptz:GetNodes/>", token())).msg.fault?.subcodes, ["ActionNotSupported"]);
  });

  test("event requests with bad arguments or an unknown subscription get faults, and nothing changes", async () => {
    const bad = await post(sim.eventsXaddr, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>soon</tev:InitialTerminationTime></tev:CreatePullPointSubscription>", token());
    assert.deepEqual(bad.msg.fault?.subcodes, ["InvalidArgVal", "UnacceptableInitialTerminationTimeFault"]);
    assert.equal(sim.subscriptions, 0);
    const created = await post(sim.eventsXaddr, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT30S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>", token());
    const address = textAt(created.msg.body, "CreatePullPointSubscriptionResponse", "SubscriptionReference", "Address")!;
    assert.match(address, /^http:\/\/127\.0\.40\.1:\d+\/onvif\/subscription\/[0-9a-f-]{36}$/);
    const noLimit = await post(address, "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout></tev:PullMessages>", token());
    assert.deepEqual(noLimit.msg.fault?.subcodes, ["InvalidArgVal"]);
    const pulled = await post(address, "<tev:PullMessages><tev:Timeout>PT0S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>", token());
    assert.equal(pulled.status, 200); // the initial motion state
    assert.ok(childAt(pulled.msg.body, "PullMessagesResponse", "NotificationMessage"));
    assert.equal((await post(address, "<wsnt:Unsubscribe/>", token())).status, 200);
    const gone = await post(address, "<wsnt:Renew><wsnt:TerminationTime>PT60S</wsnt:TerminationTime></wsnt:Renew>", token());
    assert.deepEqual(gone.msg.fault?.subcodes, ["InvalidArgVal", "ResourceUnknown"]);
    const unsigned = await post(address, "<tev:PullMessages><tev:Timeout>PT0S</tev:Timeout><tev:MessageLimit>1</tev:MessageLimit></tev:PullMessages>");
    assert.deepEqual(unsigned.msg.fault?.subcodes, ["NotAuthorized"]);
    assert.equal(sim.subscriptions, 0);
  });

  test("setFirmware changes what is reported", async () => {
    sim.setFirmware("2.1");
    const r = await post(sim.deviceXaddr, "<tds:GetDeviceInformation/>", token());
    assert.equal(textAt(r.msg.body, "GetDeviceInformationResponse", "FirmwareVersion"), "2.1");
    assert.ok(sim.calls.GetDeviceInformation >= 2);
  });
});
