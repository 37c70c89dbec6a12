// Test support: a byte-level search of every file under a folder (the database file, its -wal and -shm, media,
// exports, secrets) for strings in UTF-8, UTF-16LE and UTF-16BE. Used to prove that a deletion leaves nothing.
import fs from "node:fs";
import path from "node:path";

export type TraceHit = { file: string; needle: string; encoding: "utf8" | "utf16le" | "utf16be"; offset: number };

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, "utf16le");
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

export function filesUnder(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Every occurrence (first per file, needle and encoding) of the needles in the files under `dir`. */
export function scanForTraces(dir: string, needles: string[]): TraceHit[] {
  const patterns = needles.flatMap((needle) => [
    { needle, encoding: "utf8" as const, bytes: Buffer.from(needle, "utf8") },
    { needle, encoding: "utf16le" as const, bytes: Buffer.from(needle, "utf16le") },
    { needle, encoding: "utf16be" as const, bytes: utf16be(needle) },
  ]);
  const hits: TraceHit[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    for (const p of patterns) {
      const offset = bytes.indexOf(p.bytes);
      if (offset >= 0) hits.push({ file: path.relative(dir, file), needle: p.needle, encoding: p.encoding, offset });
    }
  }
  return hits;
}
