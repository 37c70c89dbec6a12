import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_XML_BYTES, OnvifError, asArray, attrOf, childAt, decodeEntities, escapeXml, intAt, parseXml, textAt } from "./xml";

const code = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (err) {
    assert.ok(err instanceof OnvifError, String(err));
    return err.code;
  }
};

/** The classic: 10 levels of 10× expansion = 10^9 "lol"s (~3 GB) if a parser expanded it. */
const BILLION_LAUGHS =
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`).join("") +
  `]><lolz>&lol9;</lolz>`;

describe("parseXml safety", () => {
  const hostile: { name: string; xml: string; code: string }[] = [
    { name: "billion laughs", xml: BILLION_LAUGHS, code: "bad_response" },
    { name: "external entity (file)", xml: `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`, code: "bad_response" },
    { name: "external DTD (URL)", xml: `<?xml version="1.0"?><!DOCTYPE foo SYSTEM "http://127.0.0.1:1/evil.dtd"><foo/>`, code: "bad_response" },
    { name: "parameter entity", xml: `<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><x/>`, code: "bad_response" },
    { name: "lower-case doctype inside a SOAP envelope", xml: `<s:Envelope xmlns:s="x"><!doctype y><s:Body/></s:Envelope>`, code: "bad_response" },
    { name: "malformed (unclosed)", xml: `<s:Envelope xmlns:s="x"><s:Body></s:Envelope>`, code: "bad_response" },
    { name: "malformed (bare &)", xml: `<a>fish & chips</a>`, code: "bad_response" },
    { name: "prototype pollution tag", xml: `<a><__proto__><polluted>1</polluted></__proto__></a>`, code: "bad_response" },
    { name: "too deep", xml: "<a>".repeat(200) + "</a>".repeat(200), code: "bad_response" },
    { name: "one byte over the cap", xml: `<a>${"x".repeat(MAX_XML_BYTES - 6)}</a>`, code: "too_large" },
  ];
  for (const c of hostile) {
    // Refused by a limit (size, depth, entities) rather than by running out of time or memory.
    test(`${c.name} → ${c.code}`, () => {
      assert.equal(code(() => parseXml(c.xml)), c.code);
    });
  }

  test("exactly at the cap parses", () => {
    assert.equal(code(() => parseXml(`<a>${"x".repeat(MAX_XML_BYTES - 7)}</a>`)), "ok");
  });

  test("the cap counts UTF-8 bytes, and bytes input works", () => {
    assert.equal(code(() => parseXml(`<a>${"é".repeat(600)}</a>`, 1000)), "too_large");
    assert.equal(textAt(parseXml(Buffer.from("<a>héllo</a>")), "a"), "héllo");
  });

  test("nothing leaks onto Object.prototype", () => {
    try {
      parseXml(`<a><__proto__><polluted>1</polluted></__proto__></a>`);
    } catch {
      // expected
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe("parseXml reading", () => {
  const doc = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">
  <SOAP-ENV:Body>
    <tds:GetDeviceInformationResponse>
      <tds:Manufacturer>ACME &amp; Sons</tds:Manufacturer>
      <tds:Model>Cam&#x20;X&#49;</tds:Model>
      <tds:SerialNumber>000123</tds:SerialNumber>
      <tds:FirmwareVersion> 1.2.3 </tds:FirmwareVersion>
    </tds:GetDeviceInformationResponse>
    <trt:Profiles token="A" fixed="true"><tt:Name>one</tt:Name><tt:W>1920</tt:W></trt:Profiles>
    <trt:Profiles token="B"><tt:Name>two</tt:Name><tt:W>x</tt:W></trt:Profiles>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
  const tree = parseXml(doc);

  test("prefixes are gone, whatever they were", () => {
    const r = childAt(tree, "Envelope", "Body", "GetDeviceInformationResponse");
    assert.equal(textAt(r, "Manufacturer"), "ACME & Sons");
    assert.equal(textAt(r, "Model"), "Cam X1");
    assert.equal(textAt(r, "SerialNumber"), "000123", "kept as text, leading zeros intact");
    assert.equal(textAt(r, "FirmwareVersion"), "1.2.3");
    assert.equal(textAt(r, "Missing"), undefined);
    assert.equal(textAt(tree, "Envelope", "Nope", "Deeper"), undefined);
  });

  test("repeated elements, attributes and numbers", () => {
    const profiles = asArray(childAt(tree, "Envelope", "Body") && (childAt(tree, "Envelope", "Body") as Record<string, unknown>).Profiles);
    assert.equal(profiles.length, 2);
    assert.deepEqual(profiles.map((p) => attrOf(p, "token")), ["A", "B"]);
    assert.equal(attrOf(profiles[1], "fixed"), undefined);
    assert.equal(intAt(profiles[0], "W"), 1920);
    assert.equal(intAt(profiles[1], "W"), undefined);
    assert.equal(textAt(tree, "Envelope", "Body", "Profiles", "Name"), "one", "a path through a repeated element takes the first");
  });

  test("helpers tolerate anything", () => {
    assert.deepEqual(asArray(undefined), []);
    assert.deepEqual(asArray("x"), ["x"]);
    assert.equal(childAt(null, "a"), undefined);
    assert.equal(childAt("text", "a"), undefined);
    assert.equal(childAt({ a: 1 }, "toString"), undefined, "own properties only");
    assert.equal(attrOf(42, "x"), undefined);
  });
});

describe("entities and escaping", () => {
  const cases: [string, string][] = [
    ["a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;", `a <b> & "c" 'd'`],
    ["&#65;&#x42;&#x1F600;", "AB😀"],
    ["&amp;#65;", "&#65;"],
    ["&#0; &#xD800;", "\uFFFD \uFFFD"],
    ["&nbsp;", "&nbsp;"],
  ];
  for (const [input, out] of cases) test(`decode ${input}`, () => assert.equal(decodeEntities(input), out));

  test("escapeXml round-trips through the parser, in text and attributes", () => {
    const nasty = `<&>"' ]]> é`;
    const tree = parseXml(`<a v="${escapeXml(nasty)}" w='${escapeXml(nasty)}'>${escapeXml(nasty)}</a>`);
    assert.equal(textAt(tree, "a"), nasty.trim());
    assert.equal(attrOf(childAt(tree, "a"), "v"), nasty);
    assert.equal(attrOf(childAt(tree, "a"), "w"), nasty);
  });
});
