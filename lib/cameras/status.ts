// The camera status rule, pure: given the previous status and the outcome of one check, the next status and the
// diagnostic events to record. A camera goes offline after OFFLINE_AFTER_FAILURES failed checks in a row (one lost
// packet is not an outage), at once on a decisive failure (the recorder got no video for its stall time: that is an
// outage already), and online at the first answer.
export const OFFLINE_AFTER_FAILURES = 2;

export type CameraState = "unknown" | "online" | "offline";

export type StatusSnapshot = {
  state: CameraState;
  since: Date;
  lastSeenAt: Date | null;
  failures: number;
  lastError: string | null;
  firmware: string | null;
};

export type CheckOutcome = { ok: true; firmware?: string | null } | { ok: false; problem: string; detail?: string; isDecisive?: boolean };

export type DiagnosticEvent = { kind: "online" | "offline" | "firmware_changed" | "error"; data: Record<string, unknown> };

export function nextCameraStatus(prev: StatusSnapshot | null, outcome: CheckOutcome, now: Date): { status: StatusSnapshot; events: DiagnosticEvent[] } {
  const before: StatusSnapshot = prev ?? { state: "unknown", since: now, lastSeenAt: null, failures: 0, lastError: null, firmware: null };
  const events: DiagnosticEvent[] = [];
  if (outcome.ok) {
    const status: StatusSnapshot = { ...before, state: "online", lastSeenAt: now, failures: 0, lastError: null };
    if (before.state !== "online") {
      status.since = now;
      events.push({ kind: "online", data: before.state === "offline" ? { offlineForSeconds: Math.round((now.getTime() - before.since.getTime()) / 1000) } : {} });
    }
    if (outcome.firmware && outcome.firmware !== before.firmware) {
      if (before.firmware) events.push({ kind: "firmware_changed", data: { from: before.firmware, to: outcome.firmware } });
      status.firmware = outcome.firmware;
    }
    return { status, events };
  }
  const failures = before.failures + 1;
  const status: StatusSnapshot = { ...before, failures, lastError: outcome.problem };
  if (outcome.problem !== before.lastError) events.push({ kind: "error", data: { problem: outcome.problem, ...(outcome.detail ? { detail: outcome.detail } : {}) } });
  if ((failures >= OFFLINE_AFTER_FAILURES || outcome.isDecisive) && before.state !== "offline") {
    status.state = "offline";
    status.since = now;
    events.push({ kind: "offline", data: { problem: outcome.problem, lastSeenAt: before.lastSeenAt?.toISOString() ?? null } });
  }
  return { status, events };
}
