// The scheduler worker's minute job for mode schedules: looks at the firings since its previous look and switches
// (via "schedule") when one is due (lib/modes/schedule.ts dueMode). It remembers its previous look in memory: a new
// scheduler process looks back FIRST_LOOK_BACK_MS, so a firing in the minute of a restart is not lost, and a schedule
// added or changed later never fires for a time already past.
import type { Clock } from "../clock";
import type { Db } from "../db";
import { serverTimeZone } from "../time";
import { getModeState, switchMode } from "./modes";
import { dueMode } from "./schedule";

/** How far back the first check of a process looks, ms (a bit more than the job's one-minute period). */
export const FIRST_LOOK_BACK_MS = 90_000;
/** The longest window one check considers, ms: after a long pause (suspend, clock jump) only the last hour counts. */
export const MAX_LOOK_BACK_MS = 3_600_000;

export type ModeScheduleCheck = (db: Db, clock: Clock) => Promise<{ switched: number }>;

/** A check with its own memory of the previous look; `timeZone` defaults to the household's (the server's). */
export function createModeScheduleCheck(timeZone: () => string = serverTimeZone): ModeScheduleCheck {
  let lastCheckAt: Date | null = null;
  return async (db, clock) => {
    const now = clock.now();
    const floor = now.getTime() - (lastCheckAt ? MAX_LOOK_BACK_MS : FIRST_LOOK_BACK_MS);
    const from = new Date(Math.max(lastCheckAt?.getTime() ?? floor, floor));
    const state = await getModeState(db);
    const due = dueMode({ modes: state.modes, timeZone: timeZone(), lastCheckAt: from, now, activeModeId: state.active.id, lastSwitchAt: state.changedAt });
    // Move on only after the look succeeded: a check that failed is repeated over the same window next minute.
    if (due) await switchMode(db, due.modeId, { via: "schedule", actorId: null, now });
    lastCheckAt = now;
    return { switched: due ? 1 : 0 };
  };
}
