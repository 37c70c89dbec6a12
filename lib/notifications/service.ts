// STUB (replaced by the notifications work): fact → per-member notifications (in-app, push, e-mail).
import type { Db } from "../db";
import type { Scheduler } from "../clock";
import type { FactService } from "../facts/types";

export type NotificationServiceDeps = { clock: Scheduler; credentialsKey: Buffer; dataDir: string; pollMs?: number };

export function createNotificationService(_db: Db, _deps: NotificationServiceDeps): FactService {
  return { start() {}, async stop() {}, status: () => ({ state: "stub" }) };
}
