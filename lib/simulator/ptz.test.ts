import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeClock } from "../clock";
import { DEFAULT_MOVE_TIMEOUT_MS, FULL_SPEED_PER_S, MAX_PRESETS, MAX_PRESET_NAME, PtzError, SimulatedPtz, type PtzVector } from "./ptz";

const near = (actual: PtzVector, expected: PtzVector) => {
  for (const axis of ["pan", "tilt", "zoom"] as const) assert.ok(Math.abs(actual[axis] - expected[axis]) < 1e-9, `${axis}: ${actual[axis]} ≠ ${expected[axis]}`);
};
const fault = (fn: () => void, subcode: string) =>
  assert.throws(fn, (e: unknown) => e instanceof PtzError && e.subcodes.includes(subcode), `expected ${subcode}`);

test("a continuous move runs at its velocity until stopped, from the clock alone", () => {
  const clock = fakeClock();
  const ptz = new SimulatedPtz(clock);
  ptz.continuousMove({ pan: 0.5, zoom: 0.5 });
  assert.deepEqual(ptz.status().moving, { panTilt: true, zoom: true });
  clock.advance(1000);
  near(ptz.position(), { pan: 0.5 * FULL_SPEED_PER_S, tilt: 0, zoom: 0.5 * FULL_SPEED_PER_S });
  ptz.stop({ zoom: true, panTilt: false }); // zoom stops, pan goes on
  clock.advance(1000);
  near(ptz.position(), { pan: FULL_SPEED_PER_S, tilt: 0, zoom: 0.5 * FULL_SPEED_PER_S });
  assert.deepEqual(ptz.status().moving, { panTilt: true, zoom: false });
  ptz.stop();
  clock.advance(5000);
  near(ptz.position(), { pan: FULL_SPEED_PER_S, tilt: 0, zoom: 0.5 * FULL_SPEED_PER_S });
  assert.deepEqual(ptz.status().moving, { panTilt: false, zoom: false });
});

test("a continuous move stops at the end of its range and after its timeout", () => {
  const clock = fakeClock();
  const ptz = new SimulatedPtz(clock);
  ptz.continuousMove({ tilt: -1 });
  clock.advance(60_000);
  near(ptz.position(), { pan: 0, tilt: -1, zoom: 0 });
  assert.equal(ptz.status().moving.panTilt, false, "at the end stop");
  ptz.absoluteMove({ tilt: 0 });
  ptz.continuousMove({ pan: 0.2 }, 2000);
  clock.advance(10_000);
  near(ptz.position(), { pan: 0.2 * FULL_SPEED_PER_S * 2, tilt: 0, zoom: 0 });
  ptz.continuousMove({ pan: -0.1 });
  clock.advance(DEFAULT_MOVE_TIMEOUT_MS * 3);
  near(ptz.position(), { pan: 0.2 * FULL_SPEED_PER_S * 2 - (0.1 * FULL_SPEED_PER_S * DEFAULT_MOVE_TIMEOUT_MS) / 1000, tilt: 0, zoom: 0 });
});

test("absolute and relative moves land at once; out-of-range input is refused with the ONVIF subcode", () => {
  const ptz = new SimulatedPtz(fakeClock());
  ptz.absoluteMove({ pan: 0.5, tilt: -0.25, zoom: 0.75 });
  near(ptz.position(), { pan: 0.5, tilt: -0.25, zoom: 0.75 });
  ptz.relativeMove({ pan: 1, zoom: -0.25 });
  near(ptz.position(), { pan: 1, tilt: -0.25, zoom: 0.5 }); // pan clamped at 1
  fault(() => ptz.absoluteMove({ pan: 1.5 }), "ter:InvalidPosition");
  fault(() => ptz.absoluteMove({ zoom: -0.1 }), "ter:InvalidPosition");
  fault(() => ptz.absoluteMove({ pan: Number.NaN }), "ter:InvalidPosition");
  fault(() => ptz.relativeMove({ tilt: 3 }), "ter:InvalidTranslation");
  fault(() => ptz.continuousMove({ pan: 2 }), "ter:InvalidVelocity");
  fault(() => ptz.continuousMove({ pan: 0.5 }, 0), "ter:TimeoutNotSupported");
  near(ptz.position(), { pan: 1, tilt: -0.25, zoom: 0.5 }); // nothing moved
});

test("presets: save, rename, go to, remove; unique names, a length limit and at most 16", () => {
  const clock = fakeClock();
  const ptz = new SimulatedPtz(clock);
  ptz.absoluteMove({ pan: -0.5, tilt: 0.5, zoom: 0.2 });
  const door = ptz.setPreset({ name: "Door" });
  ptz.absoluteMove({ pan: 0.5 });
  const unnamed = ptz.setPreset({});
  assert.deepEqual(
    ptz.presets().map((p) => p.name),
    ["Door", "Preset 2"],
  );
  fault(() => ptz.setPreset({ name: "Door" }), "ter:PresetExist");
  fault(() => ptz.setPreset({ name: "x".repeat(MAX_PRESET_NAME + 1) }), "ter:InvalidPresetName");
  fault(() => ptz.setPreset({ name: "Gate", token: "nope" }), "ter:NoToken");
  assert.equal(ptz.setPreset({ token: unnamed, name: "Gate" }), unnamed); // renamed and moved here
  ptz.gotoPreset(door);
  near(ptz.position(), { pan: -0.5, tilt: 0.5, zoom: 0.2 });
  ptz.removePreset(door);
  fault(() => ptz.gotoPreset(door), "ter:NoToken");
  fault(() => ptz.removePreset(door), "ter:NoToken");
  for (let i = ptz.presets().length; i < MAX_PRESETS; i++) ptz.setPreset({ name: `P${i}` });
  fault(() => ptz.setPreset({ name: "one too many" }), "ter:TooManyPresets");
  assert.equal(ptz.presets().length, MAX_PRESETS);
});

test("home: set where it points, go back there; a preset saved mid-move keeps where the move had got to", () => {
  const clock = fakeClock();
  const ptz = new SimulatedPtz(clock);
  let changes = 0;
  const off = ptz.onChange(() => changes++);
  ptz.absoluteMove({ pan: 0.3 });
  ptz.setHome();
  ptz.continuousMove({ pan: -1 });
  clock.advance(500);
  const mid = ptz.setPreset({ name: "mid" });
  near(ptz.presets().find((p) => p.token === mid)!.position, { pan: 0.3 - 0.5 * FULL_SPEED_PER_S, tilt: 0, zoom: 0 });
  ptz.gotoHome();
  near(ptz.position(), { pan: 0.3, tilt: 0, zoom: 0 });
  assert.equal(ptz.status().moving.panTilt, false);
  assert.equal(changes, 3);
  off();
  ptz.gotoHome();
  assert.equal(changes, 3);
});
