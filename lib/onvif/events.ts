// A camera's own motion detector over ONVIF events (WS-BaseNotification pull points, ver10 event service): the
// requests, the reading of PullMessages answers (through the hardened parser: size cap, no DTD), which messages say
// motion (motionOf), and a subscriber (watchCameraMotion) that keeps one pull-point subscription alive: renewals
// before it ends, a new subscription after the camera restarted or lost it, back-off while it cannot be reached. Event
// times are the camera's clock corrected by the offset measured with GetSystemDateAndTime (the clocks of cheap
// cameras drift by minutes).
import { systemClock, type Scheduler } from "../clock";
import { createOnvifClient, type OnvifClient } from "./client";
import { formatDuration } from "./duration";
import { asArray, attrOf, childAt, isNode, textAt, textOf, OnvifError } from "./xml";

export type CameraEventMessage = {
  /** The topic as the camera wrote it, prefix and all ("tns1:RuleEngine/CellMotionDetector/Motion"). */
  topic: string;
  /** The camera's time of the message (its clock), null when it gave none or an unreadable one. */
  utcTime: Date | null;
  /** "Initialized" (the state at subscription), "Changed", "Deleted"; null when absent. */
  operation: string | null;
  source: Record<string, string>;
  data: Record<string, string>;
};

export const eventRequests = {
  createPullPoint: (terminationMs: number) => `<tev:CreatePullPointSubscription><tev:InitialTerminationTime>${formatDuration(terminationMs)}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`,
  pull: (timeoutMs: number, limit: number) => `<tev:PullMessages><tev:Timeout>${formatDuration(timeoutMs)}</tev:Timeout><tev:MessageLimit>${Math.max(1, Math.floor(limit))}</tev:MessageLimit></tev:PullMessages>`,
  renew: (terminationMs: number) => `<wsnt:Renew><wsnt:TerminationTime>${formatDuration(terminationMs)}</wsnt:TerminationTime></wsnt:Renew>`,
  unsubscribe: () => `<wsnt:Unsubscribe/>`,
};

/** The items (SimpleItem Name/Value) of a Source or Data element. */
function itemsOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = isNode(node) ? asArray((node as Record<string, unknown>)["SimpleItem"]) : [];
  for (const item of items) {
    const name = attrOf(item, "Name");
    const value = attrOf(item, "Value");
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

/** NotificationMessage elements of a PullMessagesResponse (or a Notify), read; malformed ones are skipped. */
export function readNotifications(container: unknown): CameraEventMessage[] {
  const out: CameraEventMessage[] = [];
  for (const m of isNode(container) ? asArray((container as Record<string, unknown>)["NotificationMessage"]) : []) {
    const topic = textOf(childAt(m, "Topic"))?.trim();
    const message = childAt(m, "Message", "Message");
    if (!topic || !isNode(message)) continue;
    const time = attrOf(message, "UtcTime");
    const parsed = time ? Date.parse(time) : Number.NaN;
    out.push({ topic, utcTime: Number.isNaN(parsed) ? null : new Date(parsed), operation: attrOf(message, "PropertyOperation") ?? null, source: itemsOf(childAt(message, "Source")), data: itemsOf(childAt(message, "Data")) });
  }
  return out;
}

/** A PullMessagesResponse: its messages and the camera's current and termination times. */
export function readPullResponse(body: unknown): { messages: CameraEventMessage[]; currentTime: Date | null; terminationTime: Date | null } {
  const r = childAt(body, "PullMessagesResponse");
  if (!isNode(r)) throw new OnvifError("bad_response", "no PullMessagesResponse");
  const time = (name: string) => {
    const t = textAt(r, name);
    const ms = t ? Date.parse(t) : Number.NaN;
    return Number.isNaN(ms) ? null : new Date(ms);
  };
  return { messages: readNotifications(r), currentTime: time("CurrentTime"), terminationTime: time("TerminationTime") };
}

/** The subscription's address from a CreatePullPointSubscriptionResponse. */
export function readSubscriptionAddress(body: unknown): string {
  const address = textAt(body, "CreatePullPointSubscriptionResponse", "SubscriptionReference", "Address");
  if (!address) throw new OnvifError("bad_response", "no subscription address in CreatePullPointSubscriptionResponse");
  return address;
}

const TRUE = new Set(["true", "1"]);
const FALSE = new Set(["false", "0"]);
/**
 * Whether a message says motion is on (true) or off (false), or says nothing about motion (null). Motion topics: the
 * rule engine's cell motion (IsMotion), the video source's motion alarm (State), and the many vendor topics ending in
 * "Motion" or "MotionAlarm" with a boolean State/IsMotion/Value item. Tampering, audio and other topics: null.
 */
export function motionOf(m: CameraEventMessage): boolean | null {
  const topic = m.topic.replace(/^[\w-]+:/, "");
  if (!/(^|\/)(Motion|MotionAlarm|MotionDetected|CellMotionDetector)(\/|$)/i.test(topic) || /tamper/i.test(topic)) return null;
  for (const key of ["IsMotion", "State", "Value", "MotionActive"]) {
    const v = m.data[key]?.trim().toLowerCase();
    if (v === undefined) continue;
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
  }
  return null;
}

/** A camera clock closer to ours than this (ms) is taken as right: GetSystemDateAndTime has whole seconds only. */
export const CLOCK_TRUST_MS = 2_000;

/**
 * A message's time on our clock: the camera's time, corrected by the measured offset (camera − ours) when the camera's
 * clock is off by more than CLOCK_TRUST_MS; never later than `nowMs` (the arrival) and the arrival when it gave none.
 */
export function eventTime(utc: Date | null, offsetMs: number, nowMs: number): number {
  if (!utc) return nowMs;
  const at = Math.abs(offsetMs) > CLOCK_TRUST_MS ? utc.getTime() - offsetMs : utc.getTime();
  return Math.min(at, nowMs);
}

/** The subscriber's timing, ms. */
export const WATCH = {
  /** Termination time asked for; renewed when less than a third is left. */
  terminationMs: 60_000,
  /** How long one PullMessages waits for a message on the camera. */
  pullWaitMs: 10_000,
  /** Back-off after a failure: doubles from min to max. */
  retryMinMs: 1_000,
  retryMaxMs: 30_000,
} as const;

export type MotionWatch = {
  stop(): Promise<void>;
  /** "subscribed" while a subscription is pulled; "retrying" after a failure (with the last error). */
  state(): { state: "starting" | "subscribed" | "retrying" | "stopped"; error: string | null; subscriptions: number };
};

/** Shortest time between two pulls, ms: a camera that answers at once with nothing (ignoring Timeout) is not hammered. */
export const MIN_PULL_GAP_MS = 1_000;

/**
 * Keeps a pull-point subscription to the camera and calls `onMotion(on, atMs)` when the camera's motion changes, with
 * the time on our clock (the camera's time corrected by the measured offset; the arrival time when it gave none).
 * Motion is on while any motion source says so: each topic and source (a rule, a video source) keeps its own state,
 * so one rule's "off" does not end another's "on". A failed pull or renew (the camera restarted and forgot the
 * subscription, the network dropped) starts over with a new subscription after a back-off; while it is down the
 * camera's motion is unknown and reads as off (said once). stop() ends the loop at once and unsubscribes in the
 * background when it can.
 */
export function watchCameraMotion(opts: {
  xaddr: string;
  eventsXaddr?: string;
  username?: string;
  password?: string;
  onMotion: (on: boolean, atMs: number) => void;
  onError?: (err: unknown) => void;
  clock?: Scheduler;
}): MotionWatch {
  const clock = opts.clock ?? systemClock;
  let stopped = false;
  let state: ReturnType<MotionWatch["state"]>["state"] = "starting";
  let lastError: string | null = null;
  let subscriptions = 0;
  let abort = new AbortController();
  let current: { address: string; endsAt: number } | null = null;
  let client: OnvifClient | null = null;
  let offsetMs = 0;
  /** Motion per topic and source (JSON key), and what onMotion was last told. */
  const sources = new Map<string, boolean>();
  let told: boolean | null = null;
  const tell = (on: boolean, at: number) => {
    if (on === told) return;
    told = on;
    opts.onMotion(on, at);
  };

  const newClient = () => createOnvifClient({ xaddr: opts.xaddr, username: opts.username, password: opts.password, signal: abort.signal, timeoutMs: WATCH.pullWaitMs + 5_000, clock });

  async function subscribe(): Promise<void> {
    client = newClient();
    offsetMs = await client.syncClock();
    const url = opts.eventsXaddr ?? (await client.getEventsXaddr());
    if (!url) throw new OnvifError("bad_response", "the camera has no event service");
    const body = await client.raw(url, eventRequests.createPullPoint(WATCH.terminationMs));
    current = { address: readSubscriptionAddress(body), endsAt: clock.now().getTime() + WATCH.terminationMs };
    subscriptions++;
    state = "subscribed";
  }

  async function pullOnce(): Promise<void> {
    const c = client!;
    const sub = current!;
    if (sub.endsAt - clock.now().getTime() < WATCH.terminationMs / 3) {
      await c.raw(sub.address, eventRequests.renew(WATCH.terminationMs));
      sub.endsAt = clock.now().getTime() + WATCH.terminationMs;
    }
    const asked = clock.now().getTime();
    const r = readPullResponse(await c.raw(sub.address, eventRequests.pull(WATCH.pullWaitMs, 20)));
    for (const m of r.messages) {
      const on = motionOf(m);
      if (on === null) continue;
      sources.set(JSON.stringify([m.topic, Object.entries(m.source).sort()]), on);
      tell([...sources.values()].some(Boolean), eventTime(m.utcTime, offsetMs, clock.now().getTime()));
    }
    // An empty answer before the wait was up: the camera does not wait; pace the pulls.
    const took = clock.now().getTime() - asked;
    if (r.messages.length === 0 && took < MIN_PULL_GAP_MS) await sleep(MIN_PULL_GAP_MS - took);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const onAbort = () => {
        clock.clearTimeout(h);
        resolve();
      };
      const h = clock.setTimeout(() => {
        abort.signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      abort.signal.addEventListener("abort", onAbort, { once: true });
    });

  const loop = (async () => {
    let backoff: number = WATCH.retryMinMs;
    while (!stopped) {
      try {
        if (!current) await subscribe();
        await pullOnce();
        backoff = WATCH.retryMinMs;
      } catch (err) {
        if (stopped) break;
        lastError = err instanceof Error ? err.message : String(err);
        state = "retrying";
        current = null;
        // Unknown until a new subscription reports the state again: no motion meanwhile.
        sources.clear();
        tell(false, clock.now().getTime());
        opts.onError?.(err);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, WATCH.retryMaxMs);
      }
    }
  })();

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      const sub = current;
      abort.abort(new OnvifError("timeout", "stopped"));
      await loop;
      state = "stopped";
      if (sub) {
        // A fresh client (the old one's signal is aborted): a polite unsubscribe, bounded, errors ignored.
        abort = new AbortController();
        const c = createOnvifClient({ xaddr: opts.xaddr, username: opts.username, password: opts.password, timeoutMs: 2_000, clock });
        await c.syncClock().catch(() => 0);
        await c.raw(sub.address, eventRequests.unsubscribe()).catch(() => undefined);
      }
    },
    state: () => ({ state, error: lastError, subscriptions }),
  };
}
