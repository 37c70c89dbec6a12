// Every ffmpeg this process started dies with it, whatever ends the process. An ingest writes files rather than to our
// pipes, so nothing else would tell it that its worker is gone. Two mechanisms:
// - an orderly exit (SIGTERM, an uncaught error): the process "exit" hook SIGKILLs every child still tracked;
// - a SIGKILL, the OOM killer, a crash: long-running ffmpeg are started through util-linux `setpriv --pdeathsig KILL`
//   (withParentDeathSignal), so the kernel kills them when this process dies. setpriv execs ffmpeg in place: the process
//   is ffmpeg itself, with ffmpeg's command line. Where setpriv is missing (not Linux), orphans.ts finds them at the
//   next start.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";

/** util-linux's setpriv (Debian: in the essential util-linux package), or null where there is none. */
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => process.platform === "linux" && fs.existsSync(p)) ?? null;

/** The command that runs `file args` so that it gets SIGKILL when this process dies (see the file comment). */
export function withParentDeathSignal(file: string, args: readonly string[]): { file: string; args: string[] } {
  return SETPRIV ? { file: SETPRIV, args: ["--pdeathsig", "KILL", "--", file, ...args] } : { file, args: [...args] };
}

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
