// The file name of a downloaded clip: "<camera> <local time>.mp4", e.g. "Front door 2026-11-22 14-03-05.mp4", of a
// timelapse ("<camera> timelapse <day>.mp4" or "… <from>–<to>.mp4"), and the Content-Disposition header that carries it
// (an ASCII fallback plus the UTF-8 name per RFC 6266 / RFC 5987).
import { fileStamp } from "../time";

/** Longest camera part of a file name, characters (file systems allow 255 bytes for the whole name). */
const MAX_NAME_CHARS = 80;

/** A camera name made safe as part of a file name on Windows, macOS and Linux: no separators, reserved or control characters. */
export function sanitizeFileName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, "");
  return [...cleaned].slice(0, MAX_NAME_CHARS).join("").trim() || "Nightjar";
}

/** "<camera> <YYYY-MM-DD HH-mm-ss>.mp4" with the time in the viewer's zone. */
export function clipDownloadName(cameraName: string, startedAt: Date, timeZone: string): string {
  return `${sanitizeFileName(cameraName)} ${fileStamp(startedAt, timeZone)}.mp4`;
}

/** "<camera> <YYYY-MM-DD HH-mm-ss> event.mp4": all of an event's clips joined, the event's start in the viewer's zone. */
export function eventDownloadName(cameraName: string, startedAt: Date, timeZone: string): string {
  return `${sanitizeFileName(cameraName)} ${fileStamp(startedAt, timeZone)} event.mp4`;
}

/**
 * "<camera> timelapse <YYYY-MM-DD>.mp4" for a day (the day as stored: the server's calendar day), or
 * "<camera> timelapse <from>–<to>.mp4" for a range, its ends in the viewer's zone (YYYY-MM-DD HH-mm-ss).
 */
export function timelapseDownloadName(cameraName: string, span: { day: string | null; from: Date; to: Date }, timeZone: string): string {
  const when = span.day ?? `${fileStamp(span.from, timeZone)}–${fileStamp(span.to, timeZone)}`;
  return `${sanitizeFileName(cameraName)} timelapse ${when}.mp4`;
}

/** RFC 5987 value-chars: encodeURIComponent leaves ' ( ) * unescaped, which are not attr-chars. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ASCII>"` for old clients, plus `filename*=UTF-8''<name>` when the name is not plain ASCII
 * (accents are dropped from the fallback, other characters become "_").
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  const header = `attachment; filename="${ascii}"`;
  return ascii === fileName ? header : `${header}; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
