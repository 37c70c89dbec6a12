// How busy the machine's CPUs are, from Linux's /proc/stat: `npm test` (scripts/test-all.ts) runs its two lanes side by
// side only when nothing else keeps the machine busy. Pure parsing here; the caller reads the file.

/** The first line of /proc/stat ("cpu  user nice system idle iowait irq softirq steal …", in clock ticks): busy and all ticks. */
export function cpuTicks(stat: string): { busy: number; total: number } | null {
  const line = stat.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) return null;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  if ([user, nice, system, idle].some((n) => !Number.isFinite(n))) return null;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** The share of all CPUs (0–1) busy between two readings of /proc/stat; null when unreadable or no time passed. */
export function busyShare(before: string, after: string): number | null {
  const a = cpuTicks(before);
  const b = cpuTicks(after);
  if (!a || !b || b.total <= a.total) return null;
  return Math.min(1, Math.max(0, (b.busy - a.busy) / (b.total - a.total)));
}
