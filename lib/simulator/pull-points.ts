// The simulated camera's ONVIF pull-point subscriptions (WS-BaseNotification as ONVIF uses it): a subscriber creates
// one with a termination time, renews it, pulls the messages queued for it (a pull waits up to its timeout for the
// first one), and unsubscribes; one it stops renewing expires. Times come from the camera's clock (expiry is checked
// whenever a subscription is touched); only the wait of a pull is on real timers. Property topics (motion) send their
// current state to a new subscription first ("Initialized"), as cameras do.
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";

export type EventMessage = {
  /** The topic as a tns1 expression, e.g. "tns1:RuleEngine/CellMotionDetector/Motion". */
  topic: string;
  utcTime: Date;
  operation: "Initialized" | "Changed" | "Deleted";
  source: [string, string][];
  data: [string, string][];
};

/** Subscriptions a camera keeps at once (ONVIF's MaxPullPoints of the simulator). */
export const MAX_SUBSCRIPTIONS = 10;
/** Messages queued per subscription; the oldest go first when a subscriber stops pulling. */
export const MAX_QUEUE = 100;
/** Longest termination time granted, in ms (a longer request is cut to this). */
export const MAX_TERMINATION_MS = 60 * 60_000;
/** Longest a pull waits for a message, in ms (ONVIF: cameras must support a one-minute PullMessages timeout). */
export const MAX_PULL_WAIT_MS = 60_000;
/** Most messages one pull returns. */
export const MAX_PULL_LIMIT = 100;

/** A subscription that does not exist (never did, unsubscribed, or expired); the service answers with a fault. */
export class UnknownSubscriptionError extends Error {}
/** MAX_SUBSCRIPTIONS are live already. */
export class TooManySubscriptionsError extends Error {}

type Subscription = {
  id: string;
  terminationMs: number;
  queue: EventMessage[];
  /** The pull waiting for a message, if any: resolve it to answer. */
  waiter: { wake: () => void } | null;
};

export class PullPoints {
  private readonly subs = new Map<string, Subscription>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  /** A new subscription for `terminationMs` from now (capped), holding `initial` as its first messages. */
  create(terminationMs: number, initial: EventMessage[] = []): { id: string; now: Date; termination: Date } {
    this.expire();
    if (this.subs.size >= MAX_SUBSCRIPTIONS) throw new TooManySubscriptionsError(`at most ${MAX_SUBSCRIPTIONS} subscriptions`);
    const now = this.clock.now();
    const sub: Subscription = { id: randomUUID(), terminationMs: now.getTime() + Math.min(Math.max(0, terminationMs), MAX_TERMINATION_MS), queue: [...initial], waiter: null };
    this.subs.set(sub.id, sub);
    return { id: sub.id, now, termination: new Date(sub.terminationMs) };
  }

  renew(id: string, terminationMs: number): { now: Date; termination: Date } {
    const sub = this.live(id);
    const now = this.clock.now();
    sub.terminationMs = now.getTime() + Math.min(Math.max(0, terminationMs), MAX_TERMINATION_MS);
    return { now, termination: new Date(sub.terminationMs) };
  }

  unsubscribe(id: string): void {
    const sub = this.live(id);
    this.subs.delete(id);
    sub.waiter?.wake();
  }

  /** Queues messages for one subscription (its SetSynchronizationPoint: the current state again). */
  resend(id: string, messages: EventMessage[]): void {
    const sub = this.live(id);
    sub.queue.push(...messages);
    if (sub.queue.length > MAX_QUEUE) sub.queue.splice(0, sub.queue.length - MAX_QUEUE);
    sub.waiter?.wake();
  }

  /** Queues the message for every live subscription and answers their waiting pulls. */
  publish(message: EventMessage): void {
    this.expire();
    for (const sub of this.subs.values()) {
      sub.queue.push(message);
      if (sub.queue.length > MAX_QUEUE) sub.queue.splice(0, sub.queue.length - MAX_QUEUE);
      sub.waiter?.wake();
    }
  }

  /**
   * Up to `limit` queued messages, oldest first; with none queued, waits up to `waitMs` (capped) for the first. A second
   * pull on the same subscription answers the first one (empty). Also answers (empty) when the subscription or the
   * camera goes away meanwhile.
   */
  async pull(id: string, waitMs: number, limit: number): Promise<{ messages: EventMessage[]; now: Date; termination: Date }> {
    let sub = this.live(id);
    if (sub.queue.length === 0 && waitMs > 0 && !this.closed) {
      sub.waiter?.wake();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, Math.min(waitMs, MAX_PULL_WAIT_MS));
        const waiter = { wake };
        sub.waiter = waiter;
        function wake() {
          clearTimeout(timer);
          if (sub.waiter === waiter) sub.waiter = null;
          resolve();
        }
      });
      // Gone meanwhile (unsubscribed, or the camera stopped): an empty answer, the next request gets the fault.
      if (this.subs.get(id) !== sub) return { messages: [], now: this.clock.now(), termination: new Date(sub.terminationMs) };
      sub = this.live(id);
    }
    const messages = sub.queue.splice(0, Math.max(1, Math.min(limit, MAX_PULL_LIMIT)));
    return { messages, now: this.clock.now(), termination: new Date(sub.terminationMs) };
  }

  /** How many subscriptions are live (for tests and the control API). */
  get size(): number {
    this.expire();
    return this.subs.size;
  }

  /** Ends every subscription and answers every waiting pull (the camera stops). */
  close(): void {
    this.closed = true;
    for (const sub of this.subs.values()) sub.waiter?.wake();
    this.subs.clear();
  }

  private live(id: string): Subscription {
    this.expire();
    const sub = this.subs.get(id);
    if (!sub) throw new UnknownSubscriptionError(`no subscription ${id}`);
    return sub;
  }

  private expire(): void {
    const now = this.clock.now().getTime();
    for (const [id, sub] of this.subs) {
      if (sub.terminationMs <= now) {
        this.subs.delete(id);
        sub.waiter?.wake();
      }
    }
  }
}
