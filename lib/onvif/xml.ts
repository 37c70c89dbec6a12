// Safe XML for ONVIF/SOAP: a size cap, no DTDs at all, namespace prefixes stripped; helpers to read the parsed tree;
// escaping for the messages we build. Also home of OnvifError, the one error type of lib/onvif.
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** Largest XML document we parse, in bytes (UTF-8). Real ONVIF answers are a few KiB; GetProfiles on a 16-channel NVR ~100 KiB. */
export const MAX_XML_BYTES = 256 * 1024;

/** Deepest element nesting we accept. SOAP answers are < 15 deep. */
const MAX_XML_DEPTH = 64;

export type OnvifErrorCode = "unreachable" | "timeout" | "not_onvif" | "auth_failed" | "bad_response" | "too_large";

/** A failure talking to an ONVIF device; `code` is stable (mapped to AppError by the caller), `message` is for logs. */
export class OnvifError extends Error {
  readonly code: OnvifErrorCode;
  /** The SOAP fault when the device answered with one (e.g. ter:ActionNotSupported on an optional call). */
  readonly fault?: { code: string; subcodes: string[]; reason: string };

  constructor(code: OnvifErrorCode, message: string, options: { cause?: unknown; fault?: OnvifError["fault"] } = {}) {
    super(`${code}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OnvifError";
    this.code = code;
    this.fault = options.fault;
  }
}

export function isOnvifError(err: unknown): err is OnvifError {
  return err instanceof OnvifError;
}

/** A parsed element: child elements by local name (an array when repeated), attributes as "@_name", text as "#text". */
export type XmlNode = { [key: string]: unknown };

// Any markup declaration (<!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST, <!NOTATION) means a DTD: refused before parsing,
// so neither internal entity expansion (billion laughs) nor external entities (file/URL reads) can ever happen.
const DTD_RE = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false, // keep "00123" as text: serial numbers and tokens are strings
  parseAttributeValue: false,
  trimValues: true,
  // Entities are decoded by decodeEntities() below in one pass (the parser leaves numeric references undecoded).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
  tagValueProcessor: (_name, value) => decodeEntities(value),
  attributeValueProcessor: (_name, value) => decodeEntities(value),
});

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references in one pass ("&amp;#65;" stays "&#65;"). */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole, ref: string) => {
    if (ref[0] !== "#") return NAMED_ENTITIES[ref] ?? whole;
    const cp = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const isXmlChar = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    return isXmlChar ? String.fromCodePoint(cp) : "\uFFFD";
  });
}

/** Escapes text for use in element content and in double- or single-quoted attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** True when the text carries a DTD (what parseXml refuses); lets callers tell an HTML page from hostile XML first. */
export function hasDtd(text: string): boolean {
  return DTD_RE.test(text);
}

/**
 * Parses an XML document into plain objects with namespace prefixes removed (`s:Envelope` → `Envelope`).
 * Throws OnvifError "too_large" above `maxBytes`, "bad_response" for any DTD, malformed XML or a reserved name
 * (`__proto__`). Cost is linear in the input: no entity expansion exists to blow it up.
 */
export function parseXml(input: string | Uint8Array, maxBytes: number = MAX_XML_BYTES): XmlNode {
  const bytes = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (bytes > maxBytes) throw new OnvifError("too_large", `XML of ${bytes} bytes exceeds the ${maxBytes}-byte cap`);
  const text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input);
  if (DTD_RE.test(text)) throw new OnvifError("bad_response", "XML with a DTD or entity declaration refused");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new OnvifError("bad_response", `malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  try {
    const tree: unknown = parser.parse(text);
    if (!isNode(tree)) throw new Error("not an element tree");
    return tree;
  } catch (err) {
    throw new OnvifError("bad_response", `unparseable XML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export function isNode(v: unknown): v is XmlNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `undefined` → [], one value → [value], an array stays. Repeated elements parse as arrays, single ones do not. */
export function asArray<T = unknown>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Walks child elements by local name; at a repeated element it takes the first. `undefined` when any step is missing. */
export function childAt(root: unknown, ...path: string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!isNode(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return Array.isArray(cur) ? cur[0] : cur;
}

/** The text content of an element value (string, or an element with attributes and "#text"); `undefined` if none. */
export function textOf(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isNode(v) && Object.hasOwn(v, "#text")) return textOf(v["#text"]);
  return undefined;
}

/** Text at a path, trimmed; `undefined` when missing or empty. */
export function textAt(root: unknown, ...path: string[]): string | undefined {
  const t = textOf(childAt(root, ...path))?.trim();
  return t ? t : undefined;
}

/** An integer at a path; `undefined` when missing or not a finite number (decimals are truncated). */
export function intAt(root: unknown, ...path: string[]): number | undefined {
  const t = textAt(root, ...path);
  if (t === undefined || !/^[+-]?\d+(\.\d+)?$/.test(t)) return undefined;
  return Math.trunc(Number(t));
}

/** An attribute by local name (`token`, or `Id` for `wsu:Id`). */
export function attrOf(v: unknown, name: string): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (!isNode(v)) return undefined;
  const a = v[`@_${name}`];
  return typeof a === "string" ? a : undefined;
}

/** Removes a namespace prefix from a QName in text content ("ter:NotAuthorized" → "NotAuthorized"). */
export function localName(qname: string): string {
  const i = qname.lastIndexOf(":");
  return (i < 0 ? qname : qname.slice(i + 1)).trim();
}
