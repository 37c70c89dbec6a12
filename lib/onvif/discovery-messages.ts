// WS-Discovery 2005/04 messages as ONVIF uses them (SOAP 1.2 over UDP): Probe and ProbeMatches, built and parsed.
// Parsing goes through the safe XML parser: a discovery packet is untrusted input from anyone on the LAN.
import { randomUUID } from "node:crypto";
import { asArray, childAt, escapeXml, isNode, localName, parseXml, textAt, textOf, type XmlNode } from "./xml";

export const WSD_NS = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
export const WSA_NS = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
const WSA_ANONYMOUS = `${WSA_NS}/role/anonymous`;
/** The well-known To of multicast discovery messages. */
export const WSD_TO = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";
const PROBE_ACTION = `${WSD_NS}/Probe`;
const PROBE_MATCHES_ACTION = `${WSD_NS}/ProbeMatches`;
/** A UDP datagram we accept or send, in bytes: SOAP-over-UDP messages must fit one datagram. */
export const MAX_DISCOVERY_MESSAGE_BYTES = 64 * 1024;

/** Probe types ONVIF devices announce: a camera (NetworkVideoTransmitter) and the generic device service. */
export type ProbeType = "NetworkVideoTransmitter" | "Device";
const TYPE_QNAMES: Record<ProbeType, string> = { NetworkVideoTransmitter: "dn:NetworkVideoTransmitter", Device: "tds:Device" };

const ENVELOPE_OPEN =
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="${WSA_NS}" xmlns:d="${WSD_NS}"` +
  ` xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`;

/** "urn:uuid:" + a random UUID. */
export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/**
 * A Probe for one type. WS-Discovery matches a Probe only if the device has *every* listed type, and cameras list
 * NetworkVideoTransmitter, Device or both, so callers send one Probe per type rather than one listing both.
 */
export function buildProbe(opts: { type?: ProbeType | null; messageId?: string } = {}): { xml: string; messageId: string } {
  const messageId = opts.messageId ?? newMessageId();
  const types = opts.type === null ? "" : `<d:Types>${TYPE_QNAMES[opts.type ?? "NetworkVideoTransmitter"]}</d:Types>`;
  const xml =
    ENVELOPE_OPEN +
    `<s:Header><a:Action s:mustUnderstand="1">${PROBE_ACTION}</a:Action><a:MessageID>${escapeXml(messageId)}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${WSA_ANONYMOUS}</a:Address></a:ReplyTo><a:To s:mustUnderstand="1">${WSD_TO}</a:To></s:Header>` +
    `<s:Body><d:Probe>${types}</d:Probe></s:Body></s:Envelope>`;
  return { xml, messageId };
}

/** A received Probe: its MessageID (to put in RelatesTo) and the local names of the requested types. */
export type ParsedProbe = { messageId: string; types: string[] };

/** Parses a Probe; null for anything else (another action, a ProbeMatches echo, junk). Throws nothing. */
export function parseProbe(xml: string | Uint8Array): ParsedProbe | null {
  let tree: XmlNode;
  try {
    tree = parseXml(xml, MAX_DISCOVERY_MESSAGE_BYTES);
  } catch {
    return null;
  }
  const env = childAt(tree, "Envelope");
  const probe = childAt(env, "Body", "Probe");
  if (probe === undefined) return null;
  const messageId = textAt(env, "Header", "MessageID");
  if (!messageId) return null;
  return { messageId, types: splitList(textAt(probe, "Types")).map(localName) };
}

/** What ONVIF scopes (onvif://www.onvif.org/<key>/<value>) say about a device; values URL-decoded. */
export type ScopeInfo = { name?: string; hardware?: string; manufacturer?: string; model?: string; location?: string; mac?: string; profiles: string[] };

export type ProbeMatch = {
  /** The stable device identity, usually "urn:uuid:…" (the EndpointReference Address). */
  endpoint: string;
  /** Device service URLs, e.g. "http://192.168.1.20/onvif/device_service" (a camera may list IPv4 and IPv6). */
  xaddrs: string[];
  scopes: string[];
  /** Type QNames as sent, e.g. "dn:NetworkVideoTransmitter". */
  types: string[];
  info: ScopeInfo;
};

export type ParsedProbeMatches = { messageId: string | null; relatesTo: string | null; matches: ProbeMatch[] };

/** Reads ONVIF scopes into ScopeInfo. Unknown keys are ignored; a bad %-escape keeps the raw text. */
export function readScopes(scopes: string[]): ScopeInfo {
  const info: ScopeInfo = { profiles: [] };
  for (const scope of scopes) {
    const m = /^onvif:\/\/www\.onvif\.org\/([^/]+)\/(.+)$/i.exec(scope);
    if (!m) continue;
    const key = m[1].toLowerCase();
    let value = m[2];
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep raw
    }
    value = value.trim();
    if (!value) continue;
    if (key === "name") info.name ??= value;
    else if (key === "hardware") info.hardware ??= value;
    else if (key === "location") info.location = info.location ? `${info.location}/${value}` : value;
    else if (key === "mac") info.mac ??= value;
    else if (key === "manufacturer" || key === "mfr" || key === "vendor") info.manufacturer ??= value;
    else if (key === "model") info.model ??= value;
    else if (key === "profile") info.profiles.push(value);
  }
  return info;
}

function splitList(s: string | undefined): string[] {
  return (s ?? "").split(/\s+/).filter(Boolean);
}

/**
 * Parses ProbeMatches. Throws OnvifError("bad_response"/"too_large") for hostile or malformed XML; returns
 * `matches: []` for a well-formed message of another kind. Matches without an endpoint or XAddrs are kept only if
 * they have XAddrs (an endpoint alone cannot be contacted).
 */
export function parseProbeMatches(xml: string | Uint8Array): ParsedProbeMatches {
  const tree = parseXml(xml, MAX_DISCOVERY_MESSAGE_BYTES);
  const env = childAt(tree, "Envelope");
  const header = childAt(env, "Header");
  const pm = childAt(env, "Body", "ProbeMatches");
  const matches: ProbeMatch[] = [];
  for (const m of asArray(isNode(pm) ? pm["ProbeMatch"] : undefined)) {
    const xaddrs = splitList(textAt(m, "XAddrs"));
    const scopes = splitList(textOf(childAt(m, "Scopes")));
    const endpoint = textAt(m, "EndpointReference", "Address") ?? "";
    if (xaddrs.length === 0) continue;
    matches.push({ endpoint, xaddrs, scopes, types: splitList(textAt(m, "Types")), info: readScopes(scopes) });
  }
  return { messageId: textAt(header, "MessageID") ?? null, relatesTo: textAt(header, "RelatesTo") ?? null, matches };
}

/** Percent-encodes a scope value (spaces → %20) for onvif://www.onvif.org/<key>/<value>. */
export function scope(key: string, value: string): string {
  return `onvif://www.onvif.org/${key}/${encodeURIComponent(value)}`;
}

/** ProbeMatches answering the Probe `relatesTo` (the simulator's responder). Types default to NVT + Device. */
export function buildProbeMatches(opts: {
  relatesTo: string;
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
  types?: string[];
  messageId?: string;
  metadataVersion?: number;
}): string {
  const types = opts.types ?? ["dn:NetworkVideoTransmitter", "tds:Device"];
  return (
    ENVELOPE_OPEN +
    `<s:Header><a:MessageID>${escapeXml(opts.messageId ?? newMessageId())}</a:MessageID><a:RelatesTo>${escapeXml(opts.relatesTo)}</a:RelatesTo>` +
    `<a:To>${WSA_ANONYMOUS}</a:To><a:Action>${PROBE_MATCHES_ACTION}</a:Action></s:Header>` +
    `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${escapeXml(opts.endpoint)}</a:Address></a:EndpointReference>` +
    `<d:Types>${escapeXml(types.join(" "))}</d:Types><d:Scopes>${escapeXml(opts.scopes.join(" "))}</d:Scopes>` +
    `<d:XAddrs>${escapeXml(opts.xaddrs.join(" "))}</d:XAddrs><d:MetadataVersion>${opts.metadataVersion ?? 1}</d:MetadataVersion>` +
    `</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`
  );
}
