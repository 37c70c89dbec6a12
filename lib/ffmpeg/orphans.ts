// An ingest ffmpeg outlives a worker killed with SIGKILL (it writes files, not to the worker's pipes, so nothing tells
// it). At start the recorder and the web process's live manager end every ffmpeg whose command line writes into their
// live folder. Linux /proc.
import fs from "node:fs";

/** PIDs of processes whose argv mentions `liveDir` and whose program is ffmpeg. */
export function findOrphanIngests(liveDir: string, procDir = "/proc"): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(procDir);
  } catch {
    return pids;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`${procDir}/${name}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // gone, or not ours to read
    }
    if (/(^|\/)ffmpeg$/.test(argv[0] ?? "") && argv.some((a) => a.startsWith(liveDir + "/"))) pids.push(Number(name));
  }
  return pids;
}

export function killOrphanIngests(liveDir: string): number[] {
  const pids = findOrphanIngests(liveDir);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return pids;
}
