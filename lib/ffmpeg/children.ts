// Every ffmpeg this process started, until it exits: they die with the process. An ingest writes files rather than
// to our pipes, so nothing else would tell it that its worker is gone (a SIGKILLed worker's are found by orphans.ts).
import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
let isHooked = false;

function killAll() {
  for (const child of children) child.kill("SIGKILL");
}

/** Kills `child` with SIGKILL if this process exits before it (one process "exit" hook for all of them). */
export function killOnExit<T extends ChildProcess>(child: T): T {
  if (!isHooked) {
    isHooked = true;
    process.on("exit", killAll);
  }
  children.add(child);
  const forget = () => children.delete(child);
  // "close" too: a child that could not be spawned emits "error" and "close", never "exit".
  child.once("exit", forget);
  child.once("close", forget);
  return child;
}

/** How many children would be killed now (tests). */
export function trackedChildCount(): number {
  return children.size;
}
