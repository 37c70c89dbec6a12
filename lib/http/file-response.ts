// Serving a media file from disk: streamed (never read whole into memory), with HTTP range requests (seeking in
// clips), Content-Length, and a download name on request. A file that vanished (expired) is a 404, not a crash.
// Caching: one policy for every clip, photo, segment and export. A signed-in member's media must not outlive sign-out
// or loss of access in a shared browser, so the browser keeps a copy but asks every time ("private, no-cache"): the
// request passes the session and camera checks again, and an unchanged file answers 304 (ETag) without a body.
import fs from "node:fs";
import { Readable } from "node:stream";
import { AppError } from "../errors";

export type FileResponseOptions = { contentType: string; downloadName?: string };

/** The one Cache-Control of media responses (see the file comment). */
export const MEDIA_CACHE_CONTROL = "private, no-cache";

/** A validator of the file's version: size and modification time (media files are written once, renamed into place). */
export function fileEtag(stat: { size: number; mtimeMs: number }): string {
  return `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
}

/** True when If-None-Match names this version (weak comparison, as RFC 9110 asks for GET). */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** Parses "bytes=a-b" against a file size; null when absent or unsatisfiable as a single range. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return "unsatisfiable";
  return { start, end };
}

export function fileResponse(file: string, req: Request, options: FileResponseOptions): Response {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AppError("not_found");
  }
  return mediaResponse(stat, req, options, (start, end) => Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream);
}

/**
 * Bytes made from a file on the fly (an init segment served with its sample entries renamed, lib/live), with the same
 * headers, validators and ranges as fileResponse. `version` is the source file's stat (the ETag follows it): the bytes
 * must be a pure function of the file.
 */
export function bytesResponse(bytes: Uint8Array, version: { mtimeMs: number; mtime: Date }, req: Request, options: FileResponseOptions): Response {
  return mediaResponse({ size: bytes.length, mtimeMs: version.mtimeMs, mtime: version.mtime }, req, options, (start, end) => new Blob([bytes.slice(start, end + 1)]).stream());
}

function mediaResponse(stat: { size: number; mtimeMs: number; mtime: Date }, req: Request, options: FileResponseOptions, body: (start: number, end: number) => ReadableStream): Response {
  const size = stat.size;
  const etag = fileEtag(stat);
  const headers: Record<string, string> = {
    "content-type": options.contentType,
    "accept-ranges": "bytes",
    "cache-control": MEDIA_CACHE_CONTROL,
    etag,
    "last-modified": stat.mtime.toUTCString(),
    "x-content-type-options": "nosniff",
  };
  if (options.downloadName) headers["content-disposition"] = `attachment; filename="${options.downloadName.replace(/[^\w.-]/g, "_")}"`;
  if (matchesEtag(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers: { "cache-control": MEDIA_CACHE_CONTROL, etag } });
  const range = parseRange(req.headers.get("range"), size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers["content-length"] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  return new Response(req.method === "HEAD" || size === 0 ? null : body(start, end), { status: range ? 206 : 200, headers });
}
