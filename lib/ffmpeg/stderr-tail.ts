// The end of a child's error output: what ffmpeg said last is what explains why it exited. Kept bounded, so a chatty
// ffmpeg that runs for days holds a few KB, never its whole log. Not redacted: pass what leaves the process through
// redactUrls.
import type { Readable } from "node:stream";

export type StderrTail = {
  /** The last `maxChars` characters written (plus any notes). */
  readonly text: string;
  /** The last `n` lines of the trimmed text, joined by `separator` (a short detail for a log line or a diagnostic). */
  lastLines(n: number, separator?: string): string;
  /** Adds a line of our own (e.g. why we killed it), as if ffmpeg had written it last. */
  note(line: string): void;
};

/** Follows `stream` (a child's stderr; null: nothing to follow) and keeps its last `maxChars` characters. */
export function tailStderr(stream: Readable | null | undefined, maxChars = 2000): StderrTail {
  let text = "";
  stream?.on("data", (d: Buffer | string) => (text = (text + d).slice(-maxChars)));
  return {
    get text() {
      return text;
    },
    lastLines(n, separator = " ") {
      return text.trim().split("\n").slice(-n).join(separator);
    },
    note(line) {
      text += `\n${line}`;
    },
  };
}
