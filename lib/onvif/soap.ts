// SOAP 1.2 for ONVIF: building envelopes (optionally with a WS-Security header), building faults (for the simulator),
// and reading an HTTP answer into a body or a typed OnvifError (auth failures, non-ONVIF servers, hostile XML).
import { buildSecurityHeader, type UsernameToken } from "./security";
import { OnvifError, asArray, childAt, escapeXml, hasDtd, isNode, localName, parseXml, textAt, textOf, type XmlNode } from "./xml";

/** Namespace URIs with the prefixes our messages use. */
export const NS = {
  s: "http://www.w3.org/2003/05/soap-envelope",
  tds: "http://www.onvif.org/ver10/device/wsdl",
  trt: "http://www.onvif.org/ver10/media/wsdl",
  tt: "http://www.onvif.org/ver10/schema",
  ter: "http://www.onvif.org/ver10/error",
  wsse: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
  wsu: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
  tptz: "http://www.onvif.org/ver20/ptz/wsdl",
  tev: "http://www.onvif.org/ver10/events/wsdl",
  wsnt: "http://docs.oasis-open.org/wsn/b-2",
  wsntw: "http://docs.oasis-open.org/wsn/bw-2",
  wstop: "http://docs.oasis-open.org/wsn/t-1",
  wsa: "http://www.w3.org/2005/08/addressing",
  tns1: "http://www.onvif.org/ver10/topics",
} as const;

export const SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8";

/**
 * A SOAP 1.2 envelope around `body` (already-serialized XML using the prefixes of NS). With `security`, a
 * wsse:Security header carries the UsernameToken; `header` adds more header blocks verbatim.
 */
export function buildEnvelope(opts: { body: string; security?: UsernameToken | null; header?: string }): string {
  const xmlns = Object.entries(NS)
    .map(([p, uri]) => `xmlns:${p}="${uri}"`)
    .join(" ");
  const header = (opts.security ? buildSecurityHeader(opts.security) : "") + (opts.header ?? "");
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${xmlns}>${header ? `<s:Header>${header}</s:Header>` : ""}<s:Body>${opts.body}</s:Body></s:Envelope>`;
}

/** A SOAP fault. SOAP 1.2 `Sender`/`Receiver`, or SOAP 1.1 `Client`/`Server`; subcodes without prefixes, outermost first. */
export type SoapFault = { code: string; subcodes: string[]; reason: string };

/** Builds a SOAP 1.2 fault envelope, e.g. buildFault({ code: "Sender", subcodes: ["ter:NotAuthorized"], reason }). */
export function buildFault(opts: { code: "Sender" | "Receiver"; subcodes?: string[]; reason: string }): string {
  // Subcodes nest: <Subcode><Value>a</Value><Subcode><Value>b</Value></Subcode></Subcode>.
  const subs = opts.subcodes ?? [];
  const nested = subs.reduceRight((inner, v) => `<s:Subcode><s:Value>${escapeXml(v)}</s:Value>${inner}</s:Subcode>`, "");
  return buildEnvelope({
    body: `<s:Fault><s:Code><s:Value>s:${opts.code}</s:Value>${nested}</s:Code><s:Reason><s:Text xml:lang="en">${escapeXml(opts.reason)}</s:Text></s:Reason></s:Fault>`,
  });
}

/** Subcodes that mean "who you are was not accepted": ONVIF's ter:NotAuthorized and the WS-Security faults. */
const AUTH_SUBCODES = new Set(["NotAuthorized", "FailedAuthentication", "InvalidSecurity", "InvalidSecurityToken", "FailedCheck", "SecurityTokenUnavailable"]);

export function isAuthFault(fault: SoapFault): boolean {
  if (fault.subcodes.some((s) => AUTH_SUBCODES.has(s)) || AUTH_SUBCODES.has(fault.code)) return true;
  // Some cameras send a bare Sender fault and say it only in the reason ("Sender not Authorized").
  return /not\s*authori[sz]ed|unauthori[sz]ed|authentication fail/i.test(fault.reason);
}

/** Reads a Fault element (SOAP 1.2 Code/Subcode/Reason or SOAP 1.1 faultcode/faultstring). */
export function readFault(fault: unknown): SoapFault {
  const code12 = childAt(fault, "Code");
  if (code12 !== undefined) {
    const subcodes: string[] = [];
    let sub = childAt(code12, "Subcode");
    for (let depth = 0; sub !== undefined && depth < 8; depth++) {
      const v = textAt(sub, "Value");
      if (v) subcodes.push(localName(v));
      sub = childAt(sub, "Subcode");
    }
    // Reason/Text may repeat (one per language): prefer English, else the first.
    const texts = asArray(childAt(fault, "Reason") && (childAt(fault, "Reason") as XmlNode)["Text"]);
    const en = texts.find((t) => isNode(t) && String(t["@_lang"] ?? "").startsWith("en"));
    return { code: localName(textAt(code12, "Value") ?? ""), subcodes, reason: (textOf(en ?? texts[0]) ?? "").trim() };
  }
  const code11 = localName(textAt(fault, "faultcode") ?? "");
  return { code: code11, subcodes: [], reason: textAt(fault, "faultstring") ?? "" };
}

export type SoapMessage = { header: XmlNode | undefined; body: XmlNode; fault: SoapFault | null };

/** Parses a SOAP envelope (any SOAP version, any prefixes). Throws "not_onvif" when the root is not an Envelope. */
export function parseEnvelope(xml: string | Uint8Array, maxBytes?: number): SoapMessage {
  const tree = parseXml(xml, maxBytes);
  const env = tree["Envelope"];
  if (!isNode(env)) throw new OnvifError("not_onvif", "the answer is XML but not a SOAP envelope");
  const body = env["Body"];
  // <s:Body/> parses as "": an empty body is legal SOAP (and useless to us, but not hostile).
  const bodyNode: XmlNode = isNode(body) ? body : {};
  if (body === undefined) throw new OnvifError("bad_response", "SOAP envelope without a Body");
  const header = isNode(env["Header"]) ? (env["Header"] as XmlNode) : undefined;
  const fault = bodyNode["Fault"] !== undefined ? readFault(bodyNode["Fault"]) : null;
  return { header, body: bodyNode, fault };
}

const HTML_RE = /^\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i;

/**
 * Interprets one HTTP answer to a SOAP request (a pure function of status, content type and body bytes):
 * - 401 → "auth_failed" (HTTP Digest cameras; and WS-Security cameras that answer 401 to a bad token);
 * - an HTML page, a non-XML body, or XML that is not an Envelope → "not_onvif";
 * - a DTD, malformed XML or a body over the cap → "bad_response" / "too_large";
 * - a SOAP fault: auth faults (ter:NotAuthorized, usually with HTTP 400) → "auth_failed", others → "bad_response"
 *   with the fault attached;
 * - otherwise the parsed message (its body holds e.g. GetDeviceInformationResponse).
 */
export function readSoapResponse(res: { status: number; contentType: string | null; body: Uint8Array }, maxBytes?: number): SoapMessage {
  const text = new TextDecoder("utf-8").decode(res.body);
  const looksHtml = /text\/html/i.test(res.contentType ?? "") || HTML_RE.test(text);
  const looksXml = /^\s*(\uFEFF)?\s*</.test(text);
  if (res.status === 401) {
    // A 401 carrying a SOAP fault is still an auth failure; a bare 401 from a random web server is as well
    // indistinguishable from a Digest-only camera, so both say auth_failed.
    throw new OnvifError("auth_failed", "HTTP 401 Unauthorized");
  }
  if (looksHtml && !/<([A-Za-z0-9_-]+:)?Envelope[\s>]/.test(text)) throw new OnvifError("not_onvif", `HTTP ${res.status} with an HTML page`);
  if (!looksXml) throw new OnvifError("not_onvif", `HTTP ${res.status} with a non-XML body (${res.contentType ?? "no content type"})`);
  if (hasDtd(text)) throw new OnvifError("bad_response", `HTTP ${res.status}: XML with a DTD refused`);
  let msg: SoapMessage;
  try {
    msg = parseEnvelope(res.body, maxBytes);
  } catch (err) {
    // A 404/405 page that happens to be XML is a web server, not an ONVIF endpoint.
    if (err instanceof OnvifError && err.code === "bad_response" && res.status >= 400 && !/soap|xml/i.test(res.contentType ?? "")) {
      throw new OnvifError("not_onvif", `HTTP ${res.status} with an unparseable body`, { cause: err });
    }
    throw err;
  }
  if (msg.fault) {
    const f = msg.fault;
    const what = `HTTP ${res.status} SOAP fault ${[f.code, ...f.subcodes].join("/")}: ${f.reason}`;
    throw new OnvifError(isAuthFault(f) ? "auth_failed" : "bad_response", what, { fault: f });
  }
  if (res.status < 200 || res.status >= 300) throw new OnvifError("bad_response", `HTTP ${res.status} without a SOAP fault`);
  return msg;
}
