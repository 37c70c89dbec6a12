import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildProbe, buildProbeMatches, parseProbe, parseProbeMatches, readScopes, scope } from "./discovery-messages";
import { OnvifError } from "./xml";

// Written for these tests in the style of what cameras send (prefixes, whitespace, header blocks, two XAddrs).
const HIKVISION_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:soapenc="http://www.w3.org/2003/05/soap-encoding"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"
  xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
  xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
  <env:Header>
    <wsadis:MessageID>urn:uuid:8a3c0b1e-1d2f-11b2-8000-c056e3aabbcc</wsadis:MessageID>
    <wsadis:RelatesTo>urn:uuid:0b8e6c3a-5f43-4d86-9a3e-2f5a7c1d9e10</wsadis:RelatesTo>
    <wsadis:To env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsadis:To>
    <wsadis:Action env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsadis:Action>
    <d:AppSequence InstanceId="1718000000" MessageNumber="12"/>
  </env:Header>
  <env:Body>
    <d:ProbeMatches>
      <d:ProbeMatch>
        <wsadis:EndpointReference><wsadis:Address>urn:uuid:4a5b6c7d-1d2f-11b2-8000-c056e3aabbcc</wsadis:Address></wsadis:EndpointReference>
        <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
        <d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/Profile/T
          onvif://www.onvif.org/MAC/c0:56:e3:aa:bb:cc onvif://www.onvif.org/hardware/DS-2CD2143G2-I
          onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I onvif://www.onvif.org/location/city/hangzhou</d:Scopes>
        <d:XAddrs>http://192.168.1.64/onvif/device_service http://[fe80::c256:e3ff:feaa:bbcc]/onvif/device_service</d:XAddrs>
        <d:MetadataVersion>10</d:MetadataVersion>
      </d:ProbeMatch>
    </d:ProbeMatches>
  </env:Body>
</env:Envelope>`;

const AXIS_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:wsdd="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<SOAP-ENV:Header><wsa:MessageID>uuid:5c1d2e3f-0000-4000-8000-accc8e010203</wsa:MessageID><wsa:RelatesTo>urn:uuid:11111111-2222-4333-8444-555555555555</wsa:RelatesTo>
<wsa:To SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
<wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>
<SOAP-ENV:Body><wsdd:ProbeMatches><wsdd:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:5c1d2e3f-0000-4000-8000-accc8e010203</wsa:Address></wsa:EndpointReference>
<wsdd:Types>dn:NetworkVideoTransmitter tds:Device</wsdd:Types>
<wsdd:Scopes MatchBy="http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986">onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/Profile/G onvif://www.onvif.org/hardware/M3106-L%20Mk%20II onvif://www.onvif.org/name/AXIS%20M3106-L%20Mk%20II onvif://www.onvif.org/location/ onvif://www.onvif.org/manufacturer/Axis%20Communications%20AB</wsdd:Scopes>
<wsdd:XAddrs>http://192.168.0.90/onvif/device_service</wsdd:XAddrs><wsdd:MetadataVersion>1</wsdd:MetadataVersion></wsdd:ProbeMatch></wsdd:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

// Two matches in one message (an NVR answering for itself and a channel), a bad %-escape, no RelatesTo.
const DAHUA_STYLE = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">
<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>
<s:Body><d:ProbeMatches>
<d:ProbeMatch><a:EndpointReference><a:Address>uuid:1e2d3c4b-aaaa-bbbb-cccc-3ce36b010203</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>
<d:Scopes>onvif://www.onvif.org/name/Dahua onvif://www.onvif.org/hardware/IPC-HDW2431T-AS-S2 onvif://www.onvif.org/mfr/Dahua onvif://www.onvif.org/name/100%ZOOM</d:Scopes>
<d:XAddrs>http://10.0.0.108/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>
<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:no-xaddrs</a:Address></a:EndpointReference><d:Types>tds:Device</d:Types><d:Scopes/><d:XAddrs/></d:ProbeMatch>
</d:ProbeMatches></s:Body></s:Envelope>`;

describe("parseProbeMatches on camera-style samples", () => {
  test("Hikvision style: endpoint, two XAddrs, scopes decoded", () => {
    const r = parseProbeMatches(HIKVISION_STYLE);
    assert.equal(r.relatesTo, "urn:uuid:0b8e6c3a-5f43-4d86-9a3e-2f5a7c1d9e10");
    assert.equal(r.matches.length, 1);
    const m = r.matches[0];
    assert.equal(m.endpoint, "urn:uuid:4a5b6c7d-1d2f-11b2-8000-c056e3aabbcc");
    assert.deepEqual(m.xaddrs, ["http://192.168.1.64/onvif/device_service", "http://[fe80::c256:e3ff:feaa:bbcc]/onvif/device_service"]);
    assert.deepEqual(m.types, ["dn:NetworkVideoTransmitter", "tds:Device"]);
    assert.equal(m.scopes.length, 7);
    assert.deepEqual(m.info, { name: "HIKVISION DS-2CD2143G2-I", hardware: "DS-2CD2143G2-I", mac: "c0:56:e3:aa:bb:cc", location: "city/hangzhou", profiles: ["Streaming", "T"] });
  });

  test("Axis style: other prefixes, MatchBy attribute, manufacturer scope, empty location", () => {
    const m = parseProbeMatches(AXIS_STYLE).matches[0];
    assert.deepEqual(m.info, { name: "AXIS M3106-L Mk II", hardware: "M3106-L Mk II", manufacturer: "Axis Communications AB", profiles: ["Streaming", "G"] });
    assert.deepEqual(m.xaddrs, ["http://192.168.0.90/onvif/device_service"]);
  });

  test("Dahua style: several matches, a match without XAddrs dropped, a bad escape kept raw", () => {
    const r = parseProbeMatches(DAHUA_STYLE);
    assert.equal(r.relatesTo, null);
    assert.equal(r.matches.length, 1);
    assert.equal(r.matches[0].endpoint, "uuid:1e2d3c4b-aaaa-bbbb-cccc-3ce36b010203");
    assert.deepEqual(r.matches[0].info, { name: "Dahua", hardware: "IPC-HDW2431T-AS-S2", manufacturer: "Dahua", profiles: [] });
  });

  test("hostile packets throw, other messages give no matches", () => {
    assert.throws(() => parseProbeMatches(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`), (e: unknown) => e instanceof OnvifError && e.code === "bad_response");
    assert.throws(() => parseProbeMatches(`<a>${"x".repeat(70_000)}</a>`), (e: unknown) => e instanceof OnvifError && e.code === "too_large");
    assert.deepEqual(parseProbeMatches(buildProbe().xml).matches, []);
  });
});

describe("Probe and ProbeMatches round trips", () => {
  test("buildProbe → parseProbe, one type per Probe, fresh MessageIDs", () => {
    const a = buildProbe({ type: "NetworkVideoTransmitter" });
    const b = buildProbe({ type: "Device" });
    assert.match(a.messageId, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a.messageId, b.messageId);
    assert.deepEqual(parseProbe(a.xml), { messageId: a.messageId, types: ["NetworkVideoTransmitter"] });
    assert.deepEqual(parseProbe(b.xml), { messageId: b.messageId, types: ["Device"] });
    assert.deepEqual(parseProbe(buildProbe({ type: null, messageId: "urn:uuid:x" }).xml), { messageId: "urn:uuid:x", types: [] });
    assert.match(a.xml, /<a:Action s:mustUnderstand="1">http:\/\/schemas\.xmlsoap\.org\/ws\/2005\/04\/discovery\/Probe<\/a:Action>/);
    assert.match(a.xml, /<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery<\/a:To>/);
  });

  test("parseProbe ignores anything else", () => {
    assert.equal(parseProbe("junk"), null);
    assert.equal(parseProbe(HIKVISION_STYLE), null);
    assert.equal(parseProbe(`<!DOCTYPE x><x/>`), null);
  });

  test("buildProbeMatches → parseProbeMatches", () => {
    const probe = buildProbe();
    const scopes = [scope("name", "Front door & garden"), scope("hardware", "SIM-1"), scope("manufacturer", "Nightjar Sim")];
    const xml = buildProbeMatches({ relatesTo: probe.messageId, endpoint: "urn:uuid:abc", xaddrs: ["http://127.0.0.21:8080/onvif/device_service"], scopes });
    const r = parseProbeMatches(xml);
    assert.equal(r.relatesTo, probe.messageId);
    assert.deepEqual(r.matches, [
      {
        endpoint: "urn:uuid:abc",
        xaddrs: ["http://127.0.0.21:8080/onvif/device_service"],
        scopes,
        types: ["dn:NetworkVideoTransmitter", "tds:Device"],
        info: { name: "Front door & garden", hardware: "SIM-1", manufacturer: "Nightjar Sim", profiles: [] },
      },
    ]);
  });
});

describe("readScopes", () => {
  const cases: [string[], object][] = [
    [[], { profiles: [] }],
    [["onvif://www.onvif.org/name/A%2FB"], { name: "A/B", profiles: [] }],
    [["onvif://www.onvif.org/Name/first", "onvif://www.onvif.org/name/second"], { name: "first", profiles: [] }],
    [["http://example.com/name/x", "onvif://www.onvif.org/name/"], { profiles: [] }],
    [["onvif://www.onvif.org/model/X1", "onvif://www.onvif.org/vendor/V"], { model: "X1", manufacturer: "V", profiles: [] }],
  ];
  for (const [scopes, info] of cases) test(JSON.stringify(scopes), () => assert.deepEqual(readScopes(scopes), info));
});
