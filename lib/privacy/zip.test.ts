// The ZIP writer checked by independent readers: Python's zipfile (always) and Info-ZIP `unzip -t` (when installed).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { dosDateTime, ZipWriter } from "./zip";

/** Reads an archive with Python's zipfile: CRC check of every entry (testzip), then each entry's facts and sha256. */
const PY_READ = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    out = {"bad": bad, "entries": []}
    if sys.argv[2] == "full":
        for i in z.infolist():
            h = hashlib.sha256()
            with z.open(i) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            out["entries"].append({"name": i.filename, "size": i.file_size, "csize": i.compress_size, "method": i.compress_type,
                "flags": i.flag_bits, "system": i.create_system, "date": list(i.date_time), "sha256": h.hexdigest(), "offset": i.header_offset})
    else:
        out["count"] = len(z.infolist())
        out["names"] = [i.filename for i in z.infolist()[:3]] + [i.filename for i in z.infolist()[-3:]]
    print(json.dumps(out))
`;

type PyEntry = { name: string; size: number; csize: number; method: number; flags: number; system: number; date: number[]; sha256: string; offset: number };
function pyRead(file: string, mode: "full" | "count" = "full"): { bad: string | null; entries: PyEntry[]; count?: number; names?: string[] } {
  const out = execFileSync("python3", ["-c", PY_READ, file, mode], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

const hasUnzip = spawnSync("unzip", ["-v"], { stdio: "ignore" }).status === 0;
/** `unzip -t` when Info-ZIP is installed (not required); returns null when it is not. */
function unzipTest(file: string): { status: number | null; out: string } | null {
  if (!hasUnzip) return null;
  const r = spawnSync("unzip", ["-t", file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function writeZip(file: string, build: (zip: ZipWriter) => Promise<void>, options: ConstructorParameters<typeof ZipWriter>[1] = {}) {
  const out = fs.createWriteStream(file);
  const zip = new ZipWriter(out, options);
  await build(zip);
  const result = await zip.finish();
  out.end();
  await new Promise<void>((resolve, reject) => out.on("close", resolve).on("error", reject));
  assert.equal(fs.statSync(file).size, result.bytes, "bytesWritten matches the file");
  return result;
}

const sha = (b: Buffer | string) => crypto.createHash("sha256").update(b).digest("hex");

describe("zip writer", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nightjar-zip-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("deflated text, stored binary, UTF-8 names, empty entries and streamed chunks read back byte for byte", async () => {
    const file = path.join(dir, "mixed.zip");
    const json = JSON.stringify({ hello: "wereld", list: Array.from({ length: 2000 }, (_, i) => i) });
    const binary = crypto.randomBytes(300_000);
    const onDisk = path.join(dir, "photo.jpg");
    fs.writeFileSync(onDisk, binary);
    const results: Record<string, { sha256: string; bytes: number; compressedBytes: number }> = {};
    let progress = 0;
    const summary = await writeZip(
      file,
      async (zip) => {
        results["data.json"] = await zip.add("data.json", json, { mtime: new Date(2026, 2, 4, 5, 6, 8) });
        results["media/cam/photo.jpg"] = await zip.addFile("media/cam/photo.jpg", onDisk, { method: "store" });
        results["café/ñandú ✓.txt"] = await zip.add("café/ñandú ✓.txt", "unicode ✓");
        results["empty.txt"] = await zip.add("empty.txt", "");
        results["chunks.json"] = await zip.add("chunks.json", (async function* () {
          for (let i = 0; i < 100; i++) yield `{"i":${i}}\n`;
        })());
      },
      { onData: (n) => (progress += n) },
    );
    assert.equal(summary.entries, 5);
    assert.equal(summary.zip64, false);
    const read = pyRead(file);
    assert.equal(read.bad, null);
    assert.deepEqual(read.entries.map((e) => e.name), ["data.json", "media/cam/photo.jpg", "café/ñandú ✓.txt", "empty.txt", "chunks.json"]);
    const byName = Object.fromEntries(read.entries.map((e) => [e.name, e]));
    assert.equal(byName["data.json"].method, 8, "JSON is deflated");
    assert.ok(byName["data.json"].csize < json.length / 2);
    assert.equal(byName["media/cam/photo.jpg"].method, 0, "media is stored");
    assert.equal(byName["media/cam/photo.jpg"].csize, binary.length);
    assert.deepEqual(byName["data.json"].date, [2026, 3, 4, 5, 6, 8]);
    for (const e of read.entries) {
      assert.equal(e.flags & 0x808, 0x808, "data descriptor and UTF-8 bits");
      assert.equal(e.system, 3, "made by UNIX");
      assert.equal(e.sha256, results[e.name].sha256, `sha256 of ${e.name}`);
      assert.equal(e.size, results[e.name].bytes);
      assert.equal(e.csize, results[e.name].compressedBytes);
    }
    assert.equal(results["data.json"].sha256, sha(json));
    assert.equal(results["media/cam/photo.jpg"].sha256, sha(binary));
    assert.equal(results["empty.txt"].sha256, sha(""));
    assert.equal(progress, json.length + binary.length + Buffer.byteLength("unicode ✓") + results["chunks.json"].bytes, "onData counts uncompressed bytes");
    const unzip = unzipTest(file);
    if (unzip) assert.equal(unzip.status, 0, unzip.out);
  });

  test("forced ZIP64: every entry and the end record in ZIP64 form, still readable", async () => {
    const file = path.join(dir, "zip64.zip");
    const big = crypto.randomBytes(100_000);
    const summary = await writeZip(
      file,
      async (zip) => {
        await zip.add("a.json", '{"a":1}');
        await zip.add("b.bin", big, { method: "store" });
        await zip.add("c/d.txt", "deflated ".repeat(1000));
      },
      { forceZip64: true },
    );
    assert.equal(summary.zip64, true);
    const bytes = fs.readFileSync(file);
    assert.ok(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), "ZIP64 end of central directory record");
    assert.ok(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07])), "ZIP64 end of central directory locator");
    // The classic end record defers to the ZIP64 one.
    const eocd = bytes.subarray(bytes.length - 22);
    assert.equal(eocd.readUInt32LE(0), 0x06054b50);
    assert.equal(eocd.readUInt16LE(10), 0xffff);
    assert.equal(eocd.readUInt32LE(16), 0xffffffff);
    // Local headers carry a ZIP64 extra field (id 0x0001) so streaming readers expect 8-byte descriptor sizes.
    assert.equal(bytes.readUInt16LE(4), 45, "version needed 4.5");
    assert.equal(bytes.readUInt16LE(28), 20, "extra field length");
    assert.equal(bytes.readUInt16LE(30 + "a.json".length), 0x0001);
    const read = pyRead(file);
    assert.equal(read.bad, null);
    assert.deepEqual(read.entries.map((e) => [e.name, e.size]), [["a.json", 7], ["b.bin", big.length], ["c/d.txt", 9000]]);
    assert.equal(read.entries[1].sha256, sha(big));
    assert.ok(read.entries[2].offset > 0, "offsets from the ZIP64 extra field");
    const unzip = unzipTest(file);
    if (unzip) assert.equal(unzip.status, 0, unzip.out);
  });

  test("more than 65535 entries switch to the ZIP64 end record by themselves", async () => {
    const file = path.join(dir, "many.zip");
    const n = 70_000;
    const summary = await writeZip(file, async (zip) => {
      for (let i = 0; i < n; i++) await zip.add(`e/${i}.txt`, String(i), { method: "store" });
    });
    assert.equal(summary.entries, n);
    assert.equal(summary.zip64, true);
    const read = pyRead(file, "count");
    assert.equal(read.bad, null);
    assert.equal(read.count, n);
    assert.deepEqual(read.names, ["e/0.txt", "e/1.txt", "e/2.txt", "e/69997.txt", "e/69998.txt", "e/69999.txt"]);
  });

  test("a large stored file streams through with bounded memory and waits for a slow output", async () => {
    const src = path.join(dir, "big.bin");
    const size = 200 * 1024 * 1024;
    fs.closeSync(fs.openSync(src, "w"));
    fs.truncateSync(src, size); // sparse: 200 MB of zeros without using the disk
    // A slow output (1 ms per write) with a 256 KiB buffer: the writer must wait for "drain" instead of queueing.
    let queuedMax = 0;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 256 * 1024,
      write(chunk: Buffer, _enc, cb) {
        queuedMax = Math.max(queuedMax, this.writableLength);
        received += chunk.length;
        setTimeout(cb, received < 8 * 1024 * 1024 ? 1 : 0);
      },
    });
    const rssStart = process.memoryUsage().rss;
    let rssMax = rssStart;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 20);
    const zip = new ZipWriter(slow);
    const entry = await zip.addFile("media/big.bin", src, { method: "store" });
    const summary = await zip.finish();
    clearInterval(sampler);
    slow.end();
    await once(slow, "finish");
    assert.equal(entry.bytes, size);
    const zeros = crypto.createHash("sha256");
    const mib = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < size / mib.length; i++) zeros.update(mib);
    assert.equal(entry.sha256, zeros.digest("hex"));
    assert.equal(received, summary.bytes);
    // Bounded: never more than the stream's buffer plus one 64 KiB read in flight.
    assert.ok(queuedMax <= 256 * 1024 + 64 * 1024, `queued ${queuedMax} bytes`);
    // RSS: garbage collection timing varies, but a leak would hold ~200 MB; allow a generous 64 MB.
    assert.ok(rssMax - rssStart < 64 * 1024 * 1024, `RSS grew by ${Math.round((rssMax - rssStart) / 1048576)} MB`);

    // The same file through a real file output reads back intact.
    const file = path.join(dir, "big.zip");
    await writeZip(file, async (z) => {
      await z.addFile("media/big.bin", src, { method: "store" });
    });
    const read = pyRead(file);
    assert.equal(read.bad, null);
    assert.equal(read.entries[0].size, size);
    assert.equal(read.entries[0].sha256, entry.sha256);
    fs.rmSync(file);
  });

  test("a missing file throws before anything is written; the archive stays valid", async () => {
    const file = path.join(dir, "missing.zip");
    await writeZip(file, async (zip) => {
      await zip.add("a.txt", "a");
      const before = zip.bytesWritten;
      await assert.rejects(zip.addFile("gone.mp4", path.join(dir, "does-not-exist.mp4")), (err: NodeJS.ErrnoException) => err.code === "ENOENT");
      assert.equal(zip.bytesWritten, before);
      await zip.add("b.txt", "b");
    });
    const read = pyRead(file);
    assert.equal(read.bad, null);
    assert.deepEqual(read.entries.map((e) => e.name), ["a.txt", "b.txt"]);
  });

  test("bad and duplicate names are refused; a failed source fails the archive", async () => {
    const zip = new ZipWriter(new Writable({ write: (_c, _e, cb) => cb() }));
    for (const name of ["", "/abs", "a/../b", "a//b", "a\\b", "./a", "dir/"]) await assert.rejects(zip.add(name, "x"), /invalid entry name/, name);
    await zip.add("a", "x");
    await assert.rejects(zip.add("a", "y"), /duplicate/);
    await assert.rejects(
      zip.add("broken", (async function* () {
        yield "part";
        throw new Error("source broke");
      })()),
      /source broke/,
    );
    await assert.rejects(zip.add("c", "x"), /source broke/, "no entries after a half-written one");
  });

  test("DOS date and time", () => {
    const { time, date } = dosDateTime(new Date(2026, 11, 31, 23, 59, 59));
    assert.equal(date >> 9, 2026 - 1980);
    assert.equal((date >> 5) & 0xf, 12);
    assert.equal(date & 0x1f, 31);
    assert.equal(time >> 11, 23);
    assert.equal((time >> 5) & 0x3f, 59);
    assert.equal((time & 0x1f) * 2, 58);
    assert.equal(dosDateTime(new Date(1970, 0, 1)).date, (0 << 9) | (1 << 5) | 1, "before 1980: 1980-01-01");
  });
});
