// The notifier's notification service: reads the Fact outbox (cursor "notifications") and turns each fact into
// per-member notifications — the Notification row (the in-app channel, the centre and its badge), push
// (lib/push deliverPush, one batch per fact) and e-mail (smtp.ts) — with a delivery log row per channel that was tried or
// silenced. The rule is decide.ts (pure); this file gathers its inputs in batch queries and applies the answers.
//
// One event, one notification per member: event.started creates the rows (unique userId+eventId), event.updated and
// event.ended update them ("updates, not repeats"). E-mail: one per event — at event.ended (with the photo) for members
// who want the photo, at event.started for everyone else. camera.offline/online, storage.low and recording.stopped are
// notifications for admins. Rows are written first (the SSE stream sees them at once); push and e-mail go after, in
// the background (at most SEND_CONCURRENCY per channel at a time), so a slow SMTP server never delays the next fact's rows.
// step(now) handles one batch of facts; tests call it and then idle().
import { groupOf } from "../detection/labels";
import fs from "node:fs";
import path from "node:path";
import type { Scheduler, TimerHandle } from "../clock";
import type { Db } from "../db";
import { mediaDir } from "../data-dir";
import { getEnv } from "../env";
import { canManageCameras, listCameraAccess } from "../cameras/access";
import { commitFacts, readFacts } from "../facts/read";
import type { FactService, StoredFact } from "../facts/types";
import { can, isRole } from "../household/roles";
import { formatDateTime } from "../i18n/format";
import { isLocale, type Locale } from "../i18n/locales";
import { translator } from "../i18n/translate";
import { newId } from "../ids";
import { logger } from "../log";
import { cameraModeSettings, getActiveMode } from "../modes/modes";
import { deliverPush, type PushPayload } from "../push/send";
import { NOTIFICATION_KEEP_DAYS } from "../retention/settings";
import { DAY_MS, dayOf, serverTimeZone } from "../time";
import { decideNotification, type FactKind } from "./decide";
import { ANY_MOTION_LABEL, MAX_COOLDOWN_SECONDS, parsePrefs, type NotificationPrefs } from "./prefs";
import { loadSmtpTransport, sendSmtpMail, writeSmtpStatus, type MailMessage } from "./smtp";

const log = logger("notifications");
export const READER = "notifications";
/** How often the loop reads the outbox, ms (onset → in-app p95 ≤ 2 s is the target). */
export const POLL_MS = 200;
/** Facts read per step. */
export const BATCH = 200;
/**
 * Tasks in flight at once, per channel. A push task is one batch: all the members one fact tells (lib/push deliverPush
 * sends PUSH_SENDS_AT_ONCE requests at a time within it and touches the database once per outcome, not per member);
 * 4 batches let a slow push service (10 s timeout) not hold up the next event. An e-mail task is one message to the
 * household's one SMTP server, which may limit connections per client: 4.
 */
export const SEND_CONCURRENCY = { push: 4, email: 4 } as const;
type Lane = keyof typeof SEND_CONCURRENCY;
/**
 * Notifications and delivery log rows are kept this long, ms. The days live in lib/retention/settings.ts
 * (NOTIFICATION_KEEP_DAYS), below lib/privacy, whose data statement quotes them.
 */
export const KEEP_MS = NOTIFICATION_KEEP_DAYS * DAY_MS;
/** A photo e-mail waiting for an event that never ended (recorder stopped) goes without the photo after this, ms. */
export const PENDING_EMAIL_MAX_MS = 10 * 60_000;

export type NotificationServiceDeps = { clock: Scheduler; credentialsKey: Buffer; dataDir: string; pollMs?: number; publicUrl?: string; fetchImpl?: typeof fetch };
export type NotificationService = FactService & { step(now: Date): Promise<{ facts: number }>; idle(): Promise<void> };

type Member = { id: string; role: string; email: string; locale: string | null; timeZone: string | null; prefs: NotificationPrefs };
type EventData = { cameraId: string | null; cameraName: string; labels: string[]; startedAt: string; endedAt: string | null; state: "recording" | "ended"; hasPhoto: boolean };

const localeOf = (m: { locale: string | null }): Locale => (isLocale(m.locale) ? m.locale : "en");
const zoneOf = (m: { timeZone: string | null }) => m.timeZone || serverTimeZone();

/** The page a notification leads to: the Events page filtered to the camera and the day (member's zone). */
export function eventLink(cameraId: string | null, startedAt: string, timeZone: string): string {
  const q = new URLSearchParams();
  if (cameraId) q.append("camera", cameraId);
  q.set("day", dayOf(new Date(startedAt), timeZone));
  return `/events?${q.toString()}`;
}

export function createNotificationService(db: Db, deps: NotificationServiceDeps): NotificationService {
  const publicUrl = (deps.publicUrl ?? getEnv().publicUrl).replace(/\/$/, "");
  const queues: Record<Lane, (() => Promise<void>)[]> = { push: [], email: [] };
  const running: Record<Lane, number> = { push: 0, email: 0 };
  const busy = () => running.push + running.email + queues.push.length + queues.email.length > 0;
  let waiters: (() => void)[] = [];
  let timer: TimerHandle | null = null;
  let stopped = true;
  let current: Promise<unknown> | null = null;
  const stats = { facts: 0, notifications: 0, sent: 0, failed: 0, lastError: null as string | null };
  let lastSweepAt = 0;

  function enqueue(lane: Lane, task: () => Promise<void>) {
    queues[lane].push(task);
    pump(lane);
  }
  function pump(lane: Lane) {
    while (running[lane] < SEND_CONCURRENCY[lane] && queues[lane].length) {
      const task = queues[lane].shift()!;
      running[lane]++;
      void task()
        .catch((err) => log.error("send failed", { error: String(err) }))
        .finally(() => {
          running[lane]--;
          pump(lane);
          if (!busy()) {
            const w = waiters;
            waiters = [];
            for (const fn of w) fn();
          }
        });
    }
  }
  const idle = () => (!busy() ? Promise.resolve() : new Promise<void>((r) => waiters.push(r)));

  /** The worker's totals of sent and failed deliveries (status()). */
  const count = (status: string) => {
    if (status === "sent") stats.sent++;
    if (status === "failed") stats.failed++;
  };

  async function logDelivery(userId: string, notificationId: string | null, channel: string, status: string, detail: string | null, at: Date) {
    await db.notificationDelivery.create({ data: { id: newId(), userId, notificationId, channel, status, detail, at } });
    count(status);
  }

  async function loadMembers(where: object): Promise<Member[]> {
    const users = await db.user.findMany({ where: { isDisabled: false, ...where }, select: { id: true, role: true, email: true, locale: true, timeZone: true, notificationPrefs: { select: { prefs: true } } } });
    return users.map((u) => ({ id: u.id, role: u.role, email: u.email, locale: u.locale, timeZone: u.timeZone, prefs: parsePrefs(u.notificationPrefs?.prefs) }));
  }

  /** Rows written together; a batch that fails (a member deleted meanwhile) is retried row by row, losing no other row. */
  async function writeAll<T>(rows: T[], many: (rows: T[]) => Promise<unknown>, one: (row: T) => Promise<unknown>) {
    if (!rows.length) return;
    try {
      await many(rows);
    } catch {
      for (const row of rows) await one(row).catch((err) => log.warn("row not written", { error: String(err) }));
    }
  }

  /**
   * One push task: the messages for several members (each member at most once) go out together, then the delivery
   * log of all of them in one write, and a "device removed" notice for members whose subscription is gone (404/410).
   */
  async function sendPushes(items: { member: Member; notificationId: string; payload: PushPayload }[], now: Date) {
    const results = await deliverPush(db, items.map((i) => ({ userId: i.member.id, payload: i.payload })), { credentialsKey: deps.credentialsKey, dataDir: deps.dataDir, fetchImpl: deps.fetchImpl });
    const at = deps.clock.now();
    const logs: { id: string; userId: string; notificationId: string; channel: string; status: string; detail: string | null; at: Date }[] = [];
    const notices: { id: string; userId: string; kind: string; data: string; createdAt: Date }[] = [];
    for (const { member, notificationId } of items) {
      const result = results.get(member.id) ?? { sent: 0, removed: 0, failed: [] };
      const [status, detail] =
        result.sent > 0
          ? ["sent", `${result.sent} device(s)${result.failed.length ? `; ${result.failed.length} failed` : ""}`]
          : result.failed.length
            ? ["failed", result.failed[0].slice(0, 200)]
            : result.removed
              ? ["failed", "subscription expired (410)"]
              : ["skipped", "no devices"];
      logs.push({ id: newId(), userId: member.id, notificationId, channel: "push", status, detail, at });
      count(status);
      if (result.removed > 0) notices.push({ id: newId(), userId: member.id, kind: "system", data: JSON.stringify({ code: "push_removed", count: result.removed }), createdAt: now });
    }
    await writeAll(logs, (data) => db.notificationDelivery.createMany({ data }), (data) => db.notificationDelivery.create({ data }));
    await writeAll(notices, (data) => db.notification.createMany({ data }), (data) => db.notification.create({ data }));
  }

  async function sendEmail(member: Member, notificationId: string, build: (t: ReturnType<typeof translator>) => MailMessage | Promise<MailMessage>) {
    const at = () => deps.clock.now();
    let settings;
    try {
      settings = await loadSmtpTransport(db, deps.credentialsKey);
    } catch {
      return logDelivery(member.id, notificationId, "email", "failed", "SMTP password cannot be opened", at());
    }
    if (!settings) return logDelivery(member.id, notificationId, "email", "skipped", "e-mail not set up", at());
    const message = await build(translator(localeOf(member)));
    const outcome = await sendSmtpMail(settings, { ...message, to: member.email });
    if (outcome.ok) {
      await logDelivery(member.id, notificationId, "email", "sent", null, at());
      await writeSmtpStatus(db, "connected", null, at());
    } else {
      await logDelivery(member.id, notificationId, "email", "failed", outcome.error, at());
      await writeSmtpStatus(db, "error", outcome.error, at());
    }
  }

  function eventMail(member: Member, data: EventData, photo: Buffer | null) {
    return (t: ReturnType<typeof translator>): MailMessage => {
      const time = formatDateTime(localeOf(member), zoneOf(member), data.startedAt);
      const url = publicUrl + eventLink(data.cameraId, data.startedAt, zoneOf(member));
      const lines = [t("notifications.email.body", { camera: data.cameraName, time }), "", t("notifications.email.open", { url })];
      if (photo) lines.push("", t("notifications.email.photo"));
      lines.push("", "—", t("notifications.email.footer", { url: `${publicUrl}/account/notifications` }));
      return {
        to: member.email,
        subject: t("notifications.email.subject", { camera: data.cameraName, time }),
        text: lines.join("\n"),
        attachments: photo ? [{ filename: "event.jpg", content: photo, contentType: "image/jpeg" }] : undefined,
      };
    };
  }

  async function readPhoto(eventId: string, thumb: boolean): Promise<Buffer | null> {
    const photo = await db.photo.findUnique({ where: { eventId } });
    if (!photo) return null;
    try {
      return await fs.promises.readFile(path.join(mediaDir(deps.dataDir), thumb ? photo.thumbPath : photo.path));
    } catch {
      return null;
    }
  }

  function pushPayload(member: Member, data: EventData, eventId: string): PushPayload {
    const t = translator(localeOf(member));
    const time = formatDateTime(localeOf(member), zoneOf(member), data.startedAt);
    return {
      title: t("notifications.text.eventTitle", { camera: data.cameraName }),
      body: t("notifications.text.eventStarted", { camera: data.cameraName, time }),
      url: eventLink(data.cameraId, data.startedAt, zoneOf(member)),
      tag: `event-${eventId}`,
      eventId,
      cameraId: data.cameraId ?? undefined,
      label: ANY_MOTION_LABEL,
      at: data.startedAt,
    };
  }

  /**
   * An event started, or object detection gave it a new label: notify the members whose choices it meets now and who
   * have no notification for it yet (a member who chose "person" hears of the event once the person is seen).
   */
  async function onEventStarted(fact: StoredFact<"event.started">, detected: readonly string[] = []) {
    const { eventId, cameraId, cameraName, startedAt } = fact.data;
    const now = fact.createdAt;
    const [members, grants, mode, existing, last] = await Promise.all([
      loadMembers({}),
      listCameraAccess(db, cameraId).catch(() => []),
      getActiveMode(db),
      db.notification.findMany({ where: { eventId }, select: { userId: true } }),
      db.notification.groupBy({ by: ["userId"], where: { cameraId, kind: "event", createdAt: { gte: new Date(now.getTime() - MAX_COOLDOWN_SECONDS * 1000) } }, _max: { createdAt: true } }),
    ]);
    const granted = new Set(grants.filter((g) => g.hasAccess).map((g) => g.id));
    const done = new Set(existing.map((e) => e.userId));
    const lastAt = new Map(last.map((l) => [l.userId, l._max.createdAt]));
    const settings = cameraModeSettings(mode, cameraId);
    const data: EventData = { cameraId, cameraName, labels: [ANY_MOTION_LABEL, ...detected], startedAt, endedAt: null, state: "recording", hasPhoto: false };
    const json = JSON.stringify(data);
    const rows: { id: string; userId: string; kind: string; eventId: string; cameraId: string; data: string; createdAt: Date; readAt: Date | null }[] = [];
    const logs: { id: string; userId: string; notificationId: string; channel: string; status: string; detail: string | null; at: Date }[] = [];
    const sends: [Lane, () => Promise<void>][] = [];
    const pushes: Parameters<typeof sendPushes>[0] = [];
    for (const m of members) {
      if (done.has(m.id) || !isRole(m.role)) continue;
      const d = decideNotification({
        kind: "event",
        cameraId,
        labels: data.labels,
        member: { isAdmin: can(m.role, "household:manage"), seesCamera: canManageCameras({ role: m.role }) || granted.has(m.id), timeZone: zoneOf(m) },
        prefs: m.prefs,
        mode: { id: mode.id, notify: settings.notify },
        now,
        lastNotifiedAt: lastAt.get(m.id) ?? null,
      });
      if (!d.notify) continue;
      const id = newId();
      rows.push({ id, userId: m.id, kind: "event", eventId, cameraId, data: json, createdAt: now, readAt: d.inApp.send ? null : now });
      logs.push({ id: newId(), userId: m.id, notificationId: id, channel: "in_app", status: d.inApp.send ? "sent" : "skipped", detail: d.inApp.send ? null : d.inApp.reason, at: now });
      for (const [channel, c] of [["push", d.push], ["email", d.email]] as const) {
        if (!c.send && c.reason !== "channel_off") logs.push({ id: newId(), userId: m.id, notificationId: id, channel, status: "skipped", detail: c.reason, at: now });
      }
      if (d.push.send) pushes.push({ member: m, notificationId: id, payload: pushPayload(m, data, eventId) });
      if (d.email.send && d.email.when === "now") sends.push(["email", () => sendEmail(m, id, eventMail(m, data, null))]);
      if (d.email.send && d.email.when === "at_end") logs.push({ id: newId(), userId: m.id, notificationId: id, channel: "email", status: "pending", detail: "waits for the event's end (photo)", at: now });
    }
    if (rows.length) await db.$transaction([db.notification.createMany({ data: rows }), db.notificationDelivery.createMany({ data: logs })]);
    stats.notifications += rows.length;
    if (pushes.length) enqueue("push", () => sendPushes(pushes, now));
    for (const [lane, send] of sends) enqueue(lane, send);
  }

  async function onEventChanged(fact: StoredFact<"event.updated" | "event.ended">) {
    const f = fact.data as StoredFact<"event.ended">["data"];
    const ended = fact.type === "event.ended";
    const u = fact.data as StoredFact<"event.updated">["data"];
    const found = ended ? (f.labels ?? []) : u.change === "labels" ? u.labels : null;
    // The detected labels and their groups (a member chooses "animal"; the event says "cat").
    const detected = found && [...new Set([...found, ...found.map(groupOf).filter((g): g is NonNullable<typeof g> => g !== null)])];
    // New labels: members who chose them and were not told yet are told now.
    if (!ended && detected) await onEventStarted({ ...fact, type: "event.started", data: { eventId: f.eventId, cameraId: f.cameraId, cameraName: f.cameraName, startedAt: f.startedAt } }, detected);
    const data: EventData = { cameraId: f.cameraId, cameraName: f.cameraName, labels: [ANY_MOTION_LABEL, ...(detected ?? [])], startedAt: f.startedAt, endedAt: ended ? f.endedAt : null, state: ended ? "ended" : "recording", hasPhoto: ended && !!f.photoUrl };
    // A clip added says nothing of labels: the stored ones stay.
    if (detected || ended) await db.notification.updateMany({ where: { eventId: f.eventId }, data: { data: JSON.stringify(data) } });
    if (!ended) return;
    await sendAtEnd(f.eventId, data);
  }

  /** The photo e-mails waiting for this event's end, and the push update with a thumbnail for members who want it. */
  async function sendAtEnd(eventId: string, data: EventData) {
    const rows = await db.notification.findMany({ where: { eventId }, select: { id: true, userId: true, deliveries: { where: { OR: [{ channel: "email", status: "pending" }, { channel: "push", status: "sent" }] }, select: { id: true, channel: true } } } });
    const wanted = rows.filter((r) => r.deliveries.length > 0);
    if (!wanted.length) return;
    const members = new Map((await loadMembers({ id: { in: wanted.map((r) => r.userId) } })).map((m) => [m.id, m]));
    const photo = data.hasPhoto ? await readPhoto(eventId, false) : null;
    const thumb = data.hasPhoto ? await readPhoto(eventId, true) : null;
    const pushes: Parameters<typeof sendPushes>[0] = [];
    for (const r of wanted) {
      const m = members.get(r.userId);
      if (!m) continue;
      const pending = r.deliveries.find((d) => d.channel === "email");
      if (pending) {
        await db.notificationDelivery.delete({ where: { id: pending.id } });
        enqueue("email", () => sendEmail(m, r.id, eventMail(m, data, m.prefs.emailPhoto ? photo : null)));
      }
      if (thumb && m.prefs.pushThumbnail && r.deliveries.some((d) => d.channel === "push")) {
        pushes.push({ member: m, notificationId: r.id, payload: { ...pushPayload(m, data, eventId), image: `data:image/jpeg;base64,${thumb.toString("base64")}` } });
      }
    }
    if (pushes.length) enqueue("push", () => sendPushes(pushes, deps.clock.now()));
  }

  async function onSystemFact(fact: StoredFact) {
    const kind: FactKind = fact.type.startsWith("camera.") ? "camera" : fact.type === "storage.low" ? "storage" : "recording";
    const d = fact.data as { cameraId?: string; cameraName?: string | null };
    const admins = (await loadMembers({ role: "admin" })).filter((m) => isRole(m.role));
    const code = fact.type.replace(".", "_");
    const data = JSON.stringify({ code, ...fact.data });
    const now = fact.createdAt;
    const pushes: Parameters<typeof sendPushes>[0] = [];
    for (const m of admins) {
      const dec = decideNotification({ kind, cameraId: fact.cameraId, labels: [], member: { isAdmin: true, seesCamera: true, timeZone: zoneOf(m) }, prefs: m.prefs, mode: { id: "", notify: true }, now, lastNotifiedAt: null });
      if (!dec.notify) continue;
      const id = newId();
      await db.notification.create({ data: { id, userId: m.id, kind: kind === "recording" ? "camera" : kind, cameraId: fact.cameraId, data, createdAt: now, readAt: dec.inApp.send ? null : now } });
      await logDelivery(m.id, id, "in_app", dec.inApp.send ? "sent" : "skipped", dec.inApp.send ? null : dec.inApp.reason, now);
      const t = translator(localeOf(m));
      const camera = d.cameraName ?? "";
      const key = ({ camera_offline: "cameraOffline", camera_online: "cameraOnline", storage_low: "storageLow", recording_stopped: "recordingStopped" } as const)[code as "camera_offline"];
      const text = t(`notifications.text.${key}`, { camera });
      for (const [channel, c] of [["push", dec.push], ["email", dec.email]] as const) if (!c.send && c.reason !== "channel_off") await logDelivery(m.id, id, channel, "skipped", c.reason, now);
      if (dec.push.send) pushes.push({ member: m, notificationId: id, payload: { title: "Nightjar", body: text, url: "/notifications", tag: `${code}-${fact.cameraId ?? "storage"}`, cameraId: fact.cameraId ?? undefined, at: now.toISOString() } });
      if (dec.email.send) enqueue("email", () => sendEmail(m, id, (tt) => ({ to: m.email, subject: tt("notifications.email.systemSubject", { text }), text: `${text}\n\n${publicUrl}/notifications` })));
    }
    if (pushes.length) enqueue("push", () => sendPushes(pushes, now));
  }

  async function handle(fact: StoredFact) {
    switch (fact.type) {
      case "event.started":
        return onEventStarted(fact as StoredFact<"event.started">);
      case "event.updated":
      case "event.ended":
        return onEventChanged(fact as StoredFact<"event.updated">);
      case "camera.online":
        // A camera seen for the first time (just added) is not "back online": only a return after offline is news.
        if ((fact.data as { offlineForSeconds?: number | null }).offlineForSeconds == null) return;
        return onSystemFact(fact);
      case "camera.offline":
      case "storage.low":
      case "recording.stopped":
        return onSystemFact(fact);
      default:
        return;
    }
  }

  /** Photo e-mails whose event never ended go without the photo; old rows are trimmed. At most once a minute. */
  async function sweep(now: Date) {
    if (now.getTime() - lastSweepAt < 60_000) return;
    lastSweepAt = now.getTime();
    const stale = await db.notificationDelivery.findMany({ where: { channel: "email", status: "pending", at: { lt: new Date(now.getTime() - PENDING_EMAIL_MAX_MS) } }, select: { id: true, notification: { select: { id: true, eventId: true, data: true } } } });
    for (const s of stale) {
      if (s.notification?.eventId) await sendAtEnd(s.notification.eventId, JSON.parse(s.notification.data) as EventData);
      else await db.notificationDelivery.delete({ where: { id: s.id } });
    }
    const cutoff = new Date(now.getTime() - KEEP_MS);
    await db.notification.deleteMany({ where: { updatedAt: { lt: cutoff } } });
    await db.notificationDelivery.deleteMany({ where: { at: { lt: cutoff } } });
  }

  async function step(now: Date): Promise<{ facts: number }> {
    const facts = await readFacts(db, READER, BATCH);
    for (const fact of facts) {
      try {
        await handle(fact);
      } catch (err) {
        // A fact that fails (database busy) is retried on the next step: the cursor stays before it.
        stats.lastError = String((err as Error)?.message ?? err);
        log.error("fact not handled", { id: fact.id, type: fact.type, error: stats.lastError });
        const before = facts.indexOf(fact);
        if (before > 0) await commitFacts(db, READER, facts[before - 1].id);
        return { facts: before };
      }
      stats.facts++;
    }
    if (facts.length) await commitFacts(db, READER, facts[facts.length - 1].id);
    await sweep(now);
    return { facts: facts.length };
  }

  function schedule() {
    if (stopped) return;
    timer = deps.clock.setTimeout(() => {
      timer = null;
      current = step(deps.clock.now())
        .catch((err) => log.error("step failed", { error: String(err) }))
        .finally(() => {
          current = null;
          schedule();
        });
    }, deps.pollMs ?? POLL_MS);
  }

  return {
    step,
    idle,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) deps.clock.clearTimeout(timer);
      if (current) await current;
      await idle();
    },
    status: () => ({ state: stopped ? "stopped" : "running", ...stats, sending: running.push + running.email + queues.push.length + queues.email.length }),
  };
}
