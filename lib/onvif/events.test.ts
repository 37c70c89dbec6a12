import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { startOnvifService, type OnvifService } from "../simulator/onvif-service";
import { waitFor } from "../testing/wait";
import { motionOf, readPullResponse, readNotifications, watchCameraMotion, type CameraEventMessage } from "./events";
import { buildEnvelope, parseEnvelope } from "./soap";
import { OnvifError } from "./xml";

// This file owns 127.0.44.0/24.
const body = (xml: string) => parseEnvelope(buildEnvelope({ body: xml })).body;
const message = (topic: string, data: string, time = "2026-12-06T10:00:00.500Z", op = "Changed") =>
  `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic>` +
  `<wsnt:Message><tt:Message UtcTime="${time}" PropertyOperation="${op}"><tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc"/></tt:Source>` +
  `<tt:Data>${data}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;

test("readPullResponse: messages with topic, time, operation, source and data; the camera's times", () => {
  const r = readPullResponse(
    body(
      `<tev:PullMessagesResponse><tev:CurrentTime>2026-12-06T10:00:01Z</tev:CurrentTime><tev:TerminationTime>2026-12-06T10:01:01Z</tev:TerminationTime>` +
        message("tns1:RuleEngine/CellMotionDetector/Motion", `<tt:SimpleItem Name="IsMotion" Value="true"/>`) +
        message("tns1:VideoSource/MotionAlarm", `<tt:SimpleItem Name="State" Value="false"/>`, "not a time", "Initialized") +
        `<wsnt:NotificationMessage><wsnt:Topic>no message</wsnt:Topic></wsnt:NotificationMessage></tev:PullMessagesResponse>`,
    ),
  );
  assert.equal(r.currentTime?.toISOString(), "2026-12-06T10:00:01.000Z");
  assert.equal(r.terminationTime?.toISOString(), "2026-12-06T10:01:01.000Z");
  assert.deepEqual(r.messages, [
    { topic: "tns1:RuleEngine/CellMotionDetector/Motion", utcTime: new Date("2026-12-06T10:00:00.500Z"), operation: "Changed", source: { VideoSourceConfigurationToken: "vsc" }, data: { IsMotion: "true" } },
    { topic: "tns1:VideoSource/MotionAlarm", utcTime: null, operation: "Initialized", source: { VideoSourceConfigurationToken: "vsc" }, data: { State: "false" } },
  ]);
  assert.deepEqual(readNotifications(body(`<tev:PullMessagesResponse/>`)), []);
  assert.throws(() => readPullResponse(body(`<tev:Other/>`)), OnvifError);
  // Hostile XML never reaches the reader.
  assert.throws(() => parseEnvelope(`<!DOCTYPE a [<!ENTITY x "y">]><s:Envelope><s:Body>&x;</s:Body></s:Envelope>`), OnvifError);
});

test("motionOf: motion topics with a boolean item; everything else is not about motion", () => {
  const m = (topic: string, data: Record<string, string>): CameraEventMessage => ({ topic, utcTime: null, operation: "Changed", source: {}, data });
  const table: [CameraEventMessage, boolean | null][] = [
    [m("tns1:RuleEngine/CellMotionDetector/Motion", { IsMotion: "true" }), true],
    [m("tns1:RuleEngine/CellMotionDetector/Motion", { IsMotion: "false" }), false],
    [m("tns1:VideoSource/MotionAlarm", { State: "1" }), true],
    [m("tns1:VideoSource/MotionAlarm", { State: "0" }), false],
    [m("tns1:RuleEngine/MotionRegionDetector/Motion", { State: "true" }), true],
    [m("tnsaxis:VideoAnalytics/MotionDetection/MotionDetected", { active: "1", Value: "true" }), true],
    [m("tns1:VideoSource/GlobalSceneChange/ImagingService", { State: "true" }), null],
    [m("tns1:RuleEngine/TamperDetector/Tamper", { IsTamper: "true" }), null],
    [m("tns1:AudioAnalytics/Audio/DetectedSound", { IsSoundDetected: "true" }), null],
    [m("tns1:RuleEngine/CellMotionDetector/Motion", { IsMotion: "maybe" }), null],
    [m("tns1:RuleEngine/CellMotionDetector/Motion", {}), null],
  ];
  for (const [msg, expected] of table) assert.equal(motionOf(msg), expected, `${msg.topic} ${JSON.stringify(msg.data)}`);
});

describe("watchCameraMotion against the simulated camera", () => {
  const creds = { username: "admin", password: "ev-pass" };
  const device = { ...creds, manufacturer: "N", model: "M", firmware: "1", serial: "S", hardwareId: "H", rtspPort: 8554 };
  let cam: OnvifService | null = null;
  after(() => cam?.close());

  test("initial state, motion on and off with the camera's times; a restarted camera is subscribed to again; stop unsubscribes", async () => {
    cam = await startOnvifService({ host: "127.0.44.1", port: 0, ...device });
    const port = cam.port;
    const seen: { on: boolean; at: number }[] = [];
    const watch = watchCameraMotion({ xaddr: cam.deviceXaddr, ...creds, onMotion: (on, at) => seen.push({ on, at }) });
    try {
      // Cell motion and the motion alarm both report their state; motion is told once per change of the whole.
      await waitFor("the initial state", () => seen.length >= 1 && watch.state().state === "subscribed", 30_000);
      assert.deepEqual(seen.map((s) => s.on), [false]);
      const before = Date.now();
      cam.setMotion(true);
      await waitFor("motion on", () => seen.some((s) => s.on), 30_000);
      const on = seen.find((s) => s.on)!;
      // The camera's clock is ours here (offset 0): its time is the moment it switched, not the arrival.
      assert.ok(on.at >= before - 1000 && on.at <= Date.now(), `${on.at - before} ms`);
      cam.setMotion(false);
      await waitFor("motion off", () => seen.length === 3 && seen[2].on === false, 30_000);
      assert.deepEqual(seen.map((s) => s.on), [false, true, false], "two sources switching together make one change each way");

      // The camera restarts (same address, new process): its subscriptions are gone; the watcher subscribes again.
      await cam.close();
      cam = await startOnvifService({ host: "127.0.44.1", port, ...device });
      await waitFor("a new subscription", () => watch.state().subscriptions >= 2 && cam!.subscriptions === 1, 60_000);
      const count = seen.length;
      cam.setMotion(true);
      await waitFor("motion after the restart", () => seen.slice(count).some((s) => s.on), 30_000);
    } finally {
      await watch.stop();
    }
    assert.equal(cam.subscriptions, 0, "stop unsubscribed");
    assert.equal(watch.state().state, "stopped");
  });
});
