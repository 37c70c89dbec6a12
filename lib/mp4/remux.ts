// Remuxing an fMP4 run's media segments into one progressive MP4 with the index in front (faststart), in this process:
// the index is built from the fragments' headers (progressive.ts), then the sample bytes are copied from the segments
// with positioned reads, two buffers in flight. Nothing but the output file is written; every input is parsed and
// checked before the output is opened, so a truncated or malformed segment fails without writing anything.
//
// Handled: any codec (stsd is copied), several tracks, several moofs per segment and trafs per moof, every trun/tfhd
// layout (per-sample values, tfhd or trex defaults, first-sample-flags, base-data-offset, default-base-is-moof, the
// implicit base, runs without data_offset, trun/tfdt versions 0 and 1, negative composition offsets), clips from any
// point of a run (edit lists: edit-lists.ts), 4 GiB and more (co64, 64-bit mdat). Skipped: styp, sidx, prft, emsg,
// free at the top level; sample groups (sbgp/sgpd), subsample information (subs) and sdtp in a traf; the init's mvex.
// Refused (Mp4FormatError): encrypted or restricted tracks (encv/enca/…, senc/saiz/saio), a track the init does not
// declare, sample data outside an mdat, decode times that go backwards between fragments. A forward gap between
// fragments lengthens the sample before it (as ffmpeg's -c copy does): the caller plans clips without gaps.
import fs from "node:fs";
import path from "node:path";
import { bufferSource, fdSource, Mp4FormatError } from "./boxes";
import { readInitSegment } from "./fragments";
import { planProgressiveMp4, type ProgressivePlan } from "./progressive";

/** An init segment larger than this is not one (ffmpeg writes ≈ 1 KB; a few parameter sets and tracks), bytes. */
export const MAX_INIT_BYTES = 1024 * 1024;
/** One read/write of sample data, bytes (two are in flight: 2 MiB of memory per remux, whatever the clip's size). */
export const COPY_BUFFER_BYTES = 1024 * 1024;

export type RemuxOptions = {
  /** The run's init segment (ftyp + moov with mvex): its bytes, or its file. */
  init: Buffer | string;
  /** Media segment files of that run, in order. All are opened first, so one deleted meanwhile stays readable. */
  segments: readonly string[];
  /**
   * Created or truncated, then written; nothing else is touched. The caller picks a temporary name, fsyncs and renames
   * it, and removes it when this throws (a failure while copying leaves a partial file behind).
   */
  outFile: string;
  /** Stops the copy between two reads (AbortError). */
  signal?: AbortSignal;
};

/** What was written: the file's size, the movie's length, and per track its codec, samples and timing. */
export type RemuxResult = Omit<ProgressivePlan, "header" | "copies">;

/**
 * Writes the samples of `segments` (fragments of `init`'s run) as a faststart MP4 to `outFile`. Throws an
 * Mp4FormatError (message names the file and offsets) on malformed or truncated input, the usual Node error (code
 * ENOENT, …) when a file cannot be opened, and AbortError when `signal` fires.
 */
export async function remuxFragmentedToMp4(options: RemuxOptions): Promise<RemuxResult> {
  options.signal?.throwIfAborted();
  const handles: fs.promises.FileHandle[] = [];
  try {
    for (const file of options.segments) handles.push(await fs.promises.open(file, "r"));
    const initBytes = typeof options.init === "string" ? await readInitFile(options.init) : options.init;
    const initName = typeof options.init === "string" ? path.basename(options.init) : "init segment";
    const initSrc = bufferSource(initBytes);
    let init;
    try {
      init = readInitSegment(initSrc);
    } catch (err) {
      throw err instanceof Mp4FormatError ? new Mp4FormatError(`${initName}: ${err.message}`) : err;
    }
    const names = options.segments.map((f) => path.basename(f));
    const sources = await Promise.all(handles.map(async (h) => fdSource(h.fd, (await h.stat()).size)));
    const plan = planProgressiveMp4(initSrc, init, sources, names);
    options.signal?.throwIfAborted();

    const out = await fs.promises.open(options.outFile, "w");
    try {
      await writeFully(out, plan.header, plan.header.length);
      await copyRanges(out, plan, handles, names, options.signal);
    } finally {
      await out.close();
    }
    return { bytes: plan.bytes, durationMs: plan.durationMs, tracks: plan.tracks };
  } finally {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }
}

async function readInitFile(file: string): Promise<Buffer> {
  const fh = await fs.promises.open(file, "r");
  try {
    const { size } = await fh.stat();
    if (size > MAX_INIT_BYTES) throw new Mp4FormatError(`${path.basename(file)}: ${size} bytes is too large for an init segment`);
    const buf = Buffer.allocUnsafe(size);
    await readFully(fh, buf, size, 0, path.basename(file));
    return buf;
  } finally {
    await fh.close();
  }
}

async function readFully(fh: fs.promises.FileHandle, buf: Buffer, length: number, position: number, name: string): Promise<void> {
  for (let got = 0; got < length; ) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new Mp4FormatError(`${name}: ends at ${position + got} while reading ${length} bytes at ${position} (did the file shrink?)`);
    got += bytesRead;
  }
}

async function writeFully(fh: fs.promises.FileHandle, buf: Buffer, length: number): Promise<void> {
  for (let done = 0; done < length; ) {
    const { bytesWritten } = await fh.write(buf, done, length - done);
    done += bytesWritten;
  }
}

/** The sample bytes in plan order: read the next piece while the previous one is being written. */
async function copyRanges(out: fs.promises.FileHandle, plan: ProgressivePlan, handles: fs.promises.FileHandle[], names: string[], signal?: AbortSignal): Promise<void> {
  const buffers = [Buffer.allocUnsafe(COPY_BUFFER_BYTES), Buffer.allocUnsafe(COPY_BUFFER_BYTES)];
  let writing: Promise<void> = Promise.resolve();
  let piece = 0;
  try {
    for (const range of plan.copies) {
      for (let done = 0; done < range.bytes; piece++) {
        signal?.throwIfAborted();
        const n = Math.min(COPY_BUFFER_BYTES, range.bytes - done);
        const buf = buffers[piece % 2]; // its previous write (two pieces ago) was awaited below, one piece ago
        await readFully(handles[range.segment], buf, n, range.offset + done, names[range.segment]);
        await writing;
        writing = writeFully(out, buf, n);
        writing.catch(() => undefined); // awaited on the next piece or below; this only keeps it from counting as unhandled meanwhile
        done += n;
      }
    }
  } finally {
    await writing.catch(() => undefined);
  }
  await writing;
}
