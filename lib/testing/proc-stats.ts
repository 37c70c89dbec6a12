// Benchmark support (Linux only): CPU time and memory of processes read from /proc, and the child processes of a
// process. CPU is utime + stime (the kernel scales them to the precise runtime; reported in clock ticks of 10 ms).
import { execFileSync } from "node:child_process";
import fs from "node:fs";

function getconf(name: string, fallback: number): number {
  try {
    const n = Number(execFileSync("getconf", [name], { encoding: "utf8" }).trim());
    return Number.isFinite(n) && n > 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

/** USER_HZ: the unit of the CPU fields of /proc/<pid>/stat. */
export const CLOCK_TICKS_PER_SECOND = getconf("CLK_TCK", 100);
export const PAGE_BYTES = getconf("PAGESIZE", 4096);

export type ProcStat = {
  pid: number;
  ppid: number;
  /** Process start, in clock ticks after boot: (pid, startTicks) identifies a process even if the pid is reused. */
  startTicks: number;
  /** utime + stime of all its threads (living and exited), ms. */
  cpuMs: number;
  /** cutime + cstime: CPU of its children that exited and were waited for, ms. */
  childrenCpuMs: number;
  rssBytes: number;
};

/** /proc/<pid>/stat, or null when the process is gone. */
export function readProcStat(pid: number | "self"): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces or parentheses: split after the last ")".
  const close = text.lastIndexOf(")");
  const head = text.slice(0, text.indexOf(" "));
  const f = text.slice(close + 2).trim().split(" "); // f[0] is field 3 (state)
  const field = (n: number) => Number(f[n - 3]);
  const tickMs = 1000 / CLOCK_TICKS_PER_SECOND;
  return {
    pid: Number(head),
    ppid: field(4),
    startTicks: field(22),
    cpuMs: (field(14) + field(15)) * tickMs,
    childrenCpuMs: (field(16) + field(17)) * tickMs,
    rssBytes: field(24) * PAGE_BYTES,
  };
}

/** The command line (argv) of a process, or null when it is gone. */
export function readArgv(pid: number): string[] | null {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (args[args.length - 1] === "") args.pop(); // every argument ends with a NUL
    return args;
  } catch {
    return null;
  }
}

/** Proportional set size (shared pages divided among their users), bytes; null when unavailable. */
export function readPssBytes(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Direct children of `ppid` (a scan of /proc). */
export function childProcesses(ppid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s && s.ppid === ppid) out.push(s);
  }
  return out;
}

/** Whole-machine CPU from /proc/stat: busy and total jiffies over all cores. */
export function readMachineCpu(): { busy: number; total: number; cores: number } {
  const text = fs.readFileSync("/proc/stat", "utf8");
  const [, ...nums] = text.split("\n")[0].trim().split(/\s+/);
  const v = nums.map(Number);
  const idle = v[3] + (v[4] ?? 0); // idle + iowait
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  const cores = text.split("\n").filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy: total - idle, total, cores };
}
