import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeClock } from "../clock";
import { MAX_QUEUE, MAX_SUBSCRIPTIONS, MAX_TERMINATION_MS, PullPoints, TooManySubscriptionsError, UnknownSubscriptionError, type EventMessage } from "./pull-points";

const message = (n: number, at = new Date(0)): EventMessage => ({ topic: "tns1:RuleEngine/CellMotionDetector/Motion", utcTime: at, operation: "Changed", source: [], data: [["IsMotion", String(n % 2 === 1)]] });

test("a subscription gets its initial state, then what is published, oldest first, up to the limit", async () => {
  const points = new PullPoints(fakeClock());
  const { id } = points.create(60_000, [message(0)]);
  points.publish(message(1));
  points.publish(message(2));
  assert.deepEqual((await points.pull(id, 0, 2)).messages, [message(0), message(1)]);
  assert.deepEqual((await points.pull(id, 0, 10)).messages, [message(2)]);
  assert.deepEqual((await points.pull(id, 0, 10)).messages, []);
});

test("a waiting pull is answered by the next message, not by its timeout", async () => {
  const points = new PullPoints(fakeClock());
  const { id } = points.create(60_000);
  const pending = points.pull(id, 60_000, 10);
  points.publish(message(1));
  assert.deepEqual((await pending).messages, [message(1)]);
});

test("a pull with nothing to say answers empty when its wait ends, or when a second pull or an unsubscribe comes", async () => {
  const points = new PullPoints(fakeClock());
  const { id } = points.create(60_000);
  assert.deepEqual((await points.pull(id, 5, 10)).messages, []); // a 5 ms wait, on real timers
  const first = points.pull(id, 60_000, 10);
  const second = points.pull(id, 60_000, 10);
  assert.deepEqual((await first).messages, []);
  points.unsubscribe(id);
  assert.deepEqual((await second).messages, []);
  await assert.rejects(points.pull(id, 0, 10), UnknownSubscriptionError);
  assert.throws(() => points.unsubscribe(id), UnknownSubscriptionError);
});

test("termination: expires on the camera's clock unless renewed; long requests are capped", () => {
  const clock = fakeClock();
  const points = new PullPoints(clock);
  const a = points.create(60_000);
  const b = points.create(60_000);
  clock.advance(50_000);
  const renewed = points.renew(a.id, 60_000);
  assert.equal(renewed.termination.getTime() - renewed.now.getTime(), 60_000);
  clock.advance(20_000);
  assert.throws(() => points.renew(b.id, 60_000), UnknownSubscriptionError); // expired at 60 s
  assert.equal(points.size, 1);
  points.publish(message(1)); // goes to a only
  const c = points.create(10 * MAX_TERMINATION_MS);
  assert.equal(c.termination.getTime() - c.now.getTime(), MAX_TERMINATION_MS);
});

test("at most MAX_SUBSCRIPTIONS at once; a queue nobody pulls keeps the newest MAX_QUEUE", async () => {
  const points = new PullPoints(fakeClock());
  const ids = Array.from({ length: MAX_SUBSCRIPTIONS }, () => points.create(60_000).id);
  assert.throws(() => points.create(60_000), TooManySubscriptionsError);
  points.unsubscribe(ids[0]);
  points.create(60_000);
  for (let n = 0; n < MAX_QUEUE + 5; n++) points.publish(message(n));
  const got = (await points.pull(ids[1], 0, MAX_QUEUE + 5)).messages;
  assert.equal(got.length, MAX_QUEUE);
  assert.deepEqual(got[0], message(5));
});

test("close answers waiting pulls and ends every subscription", async () => {
  const points = new PullPoints(fakeClock());
  const { id } = points.create(60_000);
  const pending = points.pull(id, 60_000, 10);
  points.close();
  assert.deepEqual((await pending).messages, []);
  assert.equal(points.size, 0);
});
