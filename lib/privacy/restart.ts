// After a factory reset the processes must start again on new keys (lib/privacy/reset.ts). The web process ends
// itself shortly after answering, with RESTART_EXIT_CODE; `npm start` (scripts/start.ts) then stops the workers and
// starts the whole set again on the empty data folder, where new keys are made on first use.
import { logger } from "../log";
import { RESTART_EXIT_CODE } from "./reset";

const log = logger("privacy");

/** Time for the response to reach the browser before the process ends, ms. */
export const RESTART_DELAY_MS = 1_500;

let scheduled = false;

export function scheduleRestart(delayMs = RESTART_DELAY_MS): void {
  if (scheduled) return;
  scheduled = true;
  log.warn("factory reset done: restarting for new keys", { inMs: delayMs, exitCode: RESTART_EXIT_CODE });
  setTimeout(() => process.exit(RESTART_EXIT_CODE), delayMs);
}
