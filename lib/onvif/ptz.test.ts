import assert from "node:assert/strict";
import { test } from "node:test";
import { ptzRequests, readPresets, readPtzXaddr, readStatus, readVector } from "./ptz";
import { buildEnvelope, parseEnvelope } from "./soap";
import { OnvifError } from "./xml";

/** The body of a SOAP envelope around `xml`, through the hardened parser. */
const body = (xml: string) => parseEnvelope(buildEnvelope({ body: xml })).body;

test("requests: the axes given, short decimals, escaped tokens, the timeout as a duration", () => {
  assert.equal(
    ptzRequests.continuousMove("main", { pan: 0.5, tilt: -1 / 3 }, 1500),
    `<tptz:ContinuousMove><tptz:ProfileToken>main</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="0.5" y="-0.3333"/></tptz:Velocity><tptz:Timeout>PT1.5S</tptz:Timeout></tptz:ContinuousMove>`,
  );
  assert.equal(ptzRequests.continuousMove("main", { zoom: -1 }), `<tptz:ContinuousMove><tptz:ProfileToken>main</tptz:ProfileToken><tptz:Velocity><tt:Zoom x="-1"/></tptz:Velocity></tptz:ContinuousMove>`);
  assert.equal(ptzRequests.setPreset("a<b", "Gate & drive"), `<tptz:SetPreset><tptz:ProfileToken>a&lt;b</tptz:ProfileToken><tptz:PresetName>Gate &amp; drive</tptz:PresetName></tptz:SetPreset>`);
  assert.equal(ptzRequests.stop("main"), `<tptz:Stop><tptz:ProfileToken>main</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`);
  assert.throws(() => ptzRequests.absoluteMove("main", { pan: Number.NaN }), RangeError);
  // Every request is well-formed XML once in an envelope.
  for (const xml of [ptzRequests.getStatus("m"), ptzRequests.gotoPreset("m", "p&1"), ptzRequests.relativeMove("m", { pan: 1e-7 }), ptzRequests.gotoHomePosition("m")]) body(xml);
});

test("readStatus and readVector: positions, move states, and what cameras get wrong", () => {
  const status = (inner: string) => readStatus(body(`<tptz:GetStatusResponse><tptz:PTZStatus>${inner}</tptz:PTZStatus></tptz:GetStatusResponse>`));
  assert.deepEqual(status(`<tt:Position><tt:PanTilt x="0.25" y="-1"/><tt:Zoom x="0.5"/></tt:Position><tt:MoveStatus><tt:PanTilt>MOVING</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus>`), {
    position: { pan: 0.25, tilt: -1, zoom: 0.5 },
    moving: { panTilt: true, zoom: false },
  });
  assert.deepEqual(status(`<tt:MoveStatus><tt:PanTilt>UNKNOWN</tt:PanTilt></tt:MoveStatus>`), { position: null, moving: { panTilt: false, zoom: false } });
  assert.deepEqual(status(`<tt:Position><tt:PanTilt x="left" y="0"/></tt:Position>`)?.position, null);
  assert.deepEqual(status(`<tt:Position><tt:Zoom x="1"/></tt:Position>`)?.position, { pan: 0, tilt: 0, zoom: 1 });
  assert.equal(readStatus(body(`<tptz:GetStatusResponse/>`)), null);
  assert.equal(readVector("text"), null);
});

test("readPresets: tokens required, names default to the token, one preset or many", () => {
  const presets = (inner: string) => readPresets(body(`<tptz:GetPresetsResponse>${inner}</tptz:GetPresetsResponse>`));
  assert.deepEqual(presets(`<tptz:Preset token="1"><tt:Name>Door</tt:Name></tptz:Preset>`), [{ token: "1", name: "Door", position: null }]);
  assert.deepEqual(
    presets(`<tptz:Preset token="1"/><tptz:Preset><tt:Name>no token</tt:Name></tptz:Preset><tptz:Preset token="2"><tt:Name>Drive</tt:Name><tt:PTZPosition><tt:PanTilt x="1" y="0"/></tt:PTZPosition></tptz:Preset>`),
    [
      { token: "1", name: "1", position: null },
      { token: "2", name: "Drive", position: { pan: 1, tilt: 0, zoom: 0 } },
    ],
  );
  assert.deepEqual(presets(""), []);
});

test("readPtzXaddr: GetServices by namespace, else GetCapabilities; hostile XML never gets that far", () => {
  const services = body(
    `<tds:GetServicesResponse><tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace><tds:XAddr>http://c/media</tds:XAddr></tds:Service>` +
      `<tds:Service><tds:Namespace>http://www.onvif.org/ver20/ptz/wsdl</tds:Namespace><tds:XAddr>http://c/ptz</tds:XAddr></tds:Service></tds:GetServicesResponse>`,
  );
  assert.equal(readPtzXaddr(services), "http://c/ptz");
  assert.equal(readPtzXaddr(body(`<tds:GetCapabilitiesResponse><tds:Capabilities><tt:PTZ><tt:XAddr>http://c/onvif/ptz</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`)), "http://c/onvif/ptz");
  assert.equal(readPtzXaddr(body(`<tds:GetServicesResponse/>`)), undefined);
  assert.throws(() => parseEnvelope(`<!DOCTYPE x [<!ENTITY e "${"a".repeat(10)}">]><s:Envelope><s:Body>&e;</s:Body></s:Envelope>`), OnvifError);
});
