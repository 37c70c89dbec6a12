import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildEnvelope, buildFault, isAuthFault, parseEnvelope, readSoapResponse } from "./soap";
import { OnvifError, textAt } from "./xml";

const enc = (s: string) => new TextEncoder().encode(s);
const outcome = (res: { status: number; contentType?: string | null; body: string }): string => {
  try {
    readSoapResponse({ status: res.status, contentType: res.contentType ?? "application/soap+xml; charset=utf-8", body: enc(res.body) });
    return "ok";
  } catch (err) {
    assert.ok(err instanceof OnvifError, String(err));
    return err.code;
  }
};

// A fault as Hikvision-style firmware sends it for a bad token (SOAP 1.2, prefixes of its own).
const HIK_NOT_AUTHORIZED = `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">
<env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode></env:Code>
<env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;

// A bare Sender fault that says it only in the Reason (seen on some OEM firmware).
const REASON_ONLY = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code>
<s:Reason><s:Text xml:lang="de">Nicht autorisiert</s:Text><s:Text xml:lang="en">The action requested requires authorization and the sender is not authorized</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;

// SOAP 1.1 style fault (older firmware).
const SOAP11_FAULT = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>Method not implemented</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

const OK_BODY = buildEnvelope({ body: "<tds:GetDeviceInformationResponse><tds:Manufacturer>ACME</tds:Manufacturer></tds:GetDeviceInformationResponse>" });

describe("readSoapResponse", () => {
  const cases: { name: string; status: number; contentType?: string | null; body: string; code: string }[] = [
    { name: "200 with a response", status: 200, body: OK_BODY, code: "ok" },
    { name: "200 with text/xml content type", status: 200, contentType: "text/xml", body: OK_BODY, code: "ok" },
    { name: "400 with ter:NotAuthorized", status: 400, body: HIK_NOT_AUTHORIZED, code: "auth_failed" },
    { name: "500 with ter:NotAuthorized", status: 500, body: HIK_NOT_AUTHORIZED, code: "auth_failed" },
    { name: "400 Sender fault, reason says not authorized", status: 400, body: REASON_ONLY, code: "auth_failed" },
    { name: "401 with an empty body (HTTP Digest camera)", status: 401, contentType: null, body: "", code: "auth_failed" },
    { name: "401 with a fault", status: 401, body: HIK_NOT_AUTHORIZED, code: "auth_failed" },
    { name: "400 ActionNotSupported", status: 400, body: buildFault({ code: "Sender", subcodes: ["ter:InvalidArgVal", "ter:ActionNotSupported"], reason: "no" }), code: "bad_response" },
    { name: "500 SOAP 1.1 fault", status: 500, contentType: "text/xml", body: SOAP11_FAULT, code: "bad_response" },
    { name: "200 HTML page (a router's admin UI)", status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><body>Login</body></html>", code: "not_onvif" },
    { name: "404 HTML page without content type", status: 404, contentType: null, body: "<html><head><title>404</title></head></html>", code: "not_onvif" },
    { name: "200 JSON", status: 200, contentType: "application/json", body: `{"ok":true}`, code: "not_onvif" },
    { name: "200 empty body", status: 200, body: "", code: "not_onvif" },
    { name: "200 XML that is not SOAP", status: 200, contentType: "application/xml", body: "<rss><channel/></rss>", code: "not_onvif" },
    { name: "404 plain text", status: 404, contentType: "text/plain", body: "Not Found", code: "not_onvif" },
    { name: "200 with a DTD (hostile)", status: 200, body: `<!DOCTYPE s [<!ENTITY a "aaaaaaaa">]><s:Envelope xmlns:s="x"><s:Body>&a;</s:Body></s:Envelope>`, code: "bad_response" },
    { name: "200 truncated envelope", status: 200, body: OK_BODY.slice(0, 120), code: "bad_response" },
    { name: "200 envelope without Body", status: 200, body: `<s:Envelope xmlns:s="x"><s:Header/></s:Envelope>`, code: "bad_response" },
    { name: "503 envelope without fault", status: 503, body: OK_BODY, code: "bad_response" },
  ];
  for (const c of cases) test(`${c.name} → ${c.code}`, () => assert.equal(outcome(c), c.code));

  test("too large → too_large", () => {
    assert.throws(() => readSoapResponse({ status: 200, contentType: null, body: enc(`<a>${"x".repeat(2000)}</a>`) }, 1000), (e: unknown) => e instanceof OnvifError && e.code === "too_large");
  });

  test("the fault travels with the error", () => {
    try {
      readSoapResponse({ status: 400, contentType: null, body: enc(HIK_NOT_AUTHORIZED) });
      assert.fail("expected a fault");
    } catch (err) {
      assert.ok(err instanceof OnvifError);
      assert.deepEqual(err.fault, { code: "Sender", subcodes: ["NotAuthorized"], reason: "Sender not Authorized" });
    }
  });
});

describe("faults", () => {
  test("buildFault → parseEnvelope round trip with nested subcodes", () => {
    const msg = parseEnvelope(buildFault({ code: "Receiver", subcodes: ["ter:Action", "ter:NoSuchThing"], reason: "a <b> & c" }));
    assert.deepEqual(msg.fault, { code: "Receiver", subcodes: ["Action", "NoSuchThing"], reason: "a <b> & c" });
  });

  test("English reason is preferred", () => {
    assert.match(parseEnvelope(REASON_ONLY).fault!.reason, /^The action requested/);
  });

  test("SOAP 1.1 faults are read too", () => {
    assert.deepEqual(parseEnvelope(SOAP11_FAULT).fault, { code: "Client", subcodes: [], reason: "Method not implemented" });
  });

  const auth: [string, boolean][] = [
    ["NotAuthorized", true],
    ["FailedAuthentication", true],
    ["InvalidSecurityToken", true],
    ["ActionNotSupported", false],
    ["InvalidArgVal", false],
  ];
  for (const [sub, isAuth] of auth) test(`isAuthFault(${sub}) = ${isAuth}`, () => assert.equal(isAuthFault({ code: "Sender", subcodes: [sub], reason: "" }), isAuth));
});

describe("buildEnvelope", () => {
  test("is SOAP 1.2 with the ONVIF prefixes declared, and parses back", () => {
    const xml = buildEnvelope({ body: "<tds:GetDeviceInformation/>" });
    assert.match(xml, /xmlns:s="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"/);
    assert.doesNotMatch(xml, /<s:Header>/);
    const msg = parseEnvelope(xml);
    assert.equal(msg.fault, null);
    assert.ok("GetDeviceInformation" in msg.body);
    assert.equal(textAt(parseEnvelope(buildEnvelope({ body: "<tt:X>1</tt:X>", header: "<tt:H>h</tt:H>" })).header, "H"), "h");
  });
});
