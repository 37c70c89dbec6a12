// Joining an event's clips into one MP4 without re-encoding (issue #18: "download event"): ffmpeg's concat demuxer
// over the clip files, every stream copied, the index in front. Only for clips whose sample descriptions are equal
// (same codec, parameter sets and sound: the caller checks, lib/events/event-file.ts) — then the copy is exact and
// the clips follow each other with no gap. The list text and argv are pure (table-tested); runConcat runs it.
import { spawn } from "node:child_process";
import { killOnExit, withParentDeathSignal } from "./children";
import { tailStderr } from "./stderr-tail";

/** The concat demuxer's list ("ffconcat version 1.0", then `file '<path>'`; a quote in a path is written '\''). */
export function concatListText(files: readonly string[]): string {
  return ["ffconcat version 1.0", ...files.map((f) => `file '${f.replace(/'/g, "'\\''")}'`)].join("\n") + "\n";
}

/** The argv (without the ffmpeg path); -f mp4 because the output is a temporary name. */
export function buildConcatArgs(listFile: string, output: string): string[] {
  return ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", listFile, "-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", output];
}

export class ConcatError extends Error {
  override name = "ConcatError";
}

/** Runs the join; resolves when ffmpeg exited 0, rejects with its last words (or after timeoutMs, killing it). */
export function runConcat(ffmpegPath: string, o: { listFile: string; output: string; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const cmd = withParentDeathSignal(ffmpegPath, buildConcatArgs(o.listFile, o.output));
    const child = killOnExit(spawn(cmd.file, cmd.args, { stdio: ["ignore", "ignore", "pipe"] }));
    const stderr = tailStderr(child.stderr, 2000);
    const timer = setTimeout(() => {
      stderr.note(`killed after ${o.timeoutMs} ms`);
      child.kill("SIGKILL");
    }, o.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new ConcatError(`ffmpeg could not run: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ConcatError(`ffmpeg exited ${code ?? signal}: ${stderr.lastLines(3)}`));
    });
  });
}
