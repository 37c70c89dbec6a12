// Serving a media file from disk: streamed (never read whole into memory), with HTTP range requests (seeking in
// clips), Content-Length, and a download name on request. A file that vanished (expired) is a 404, not a crash.
import fs from "node:fs";
import { Readable } from "node:stream";
import { AppError } from "../errors";

export type FileResponseOptions = { contentType: string; downloadName?: string; cacheControl?: string };

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
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new AppError("not_found");
  }
  const headers: Record<string, string> = {
    "content-type": options.contentType,
    "accept-ranges": "bytes",
    "cache-control": options.cacheControl ?? "private, max-age=3600",
    "x-content-type-options": "nosniff",
  };
  if (options.downloadName) headers["content-disposition"] = `attachment; filename="${options.downloadName.replace(/[^\w.-]/g, "_")}"`;
  const range = parseRange(req.headers.get("range"), size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = size === 0 ? null : (Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream);
  headers["content-length"] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  return new Response(req.method === "HEAD" ? null : body, { status: range ? 206 : 200, headers });
}
