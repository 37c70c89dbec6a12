import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_CLIP_SPEC } from "./clips";
import { PANORAMA, VIEW_WIDTH, buildViewArgs, quantizeView, viewCacheKey, viewCrop, viewId } from "./ptz-views";

test("quantizeView: pan and tilt to 1/8, zoom to 1/4", () => {
  const table: [{ pan: number; tilt: number; zoom: number }, string][] = [
    [{ pan: 0, tilt: 0, zoom: 0 }, "p0_t0_z0"],
    [{ pan: 0.06, tilt: -0.07, zoom: 0.1 }, "p0_t-0.125_z0"],
    [{ pan: 0.5, tilt: 1, zoom: 1 }, "p0.5_t1_z1"],
    [{ pan: -1, tilt: 0.3, zoom: 0.6 }, "p-1_t0.25_z0.5"],
  ];
  for (const [p, id] of table) assert.equal(viewId(quantizeView(p)), id, JSON.stringify(p));
});

test("viewCrop: the window stays inside the scene, pans from edge to edge, tilts up, narrows with zoom", () => {
  const wide = viewCrop({ pan: 0, tilt: 0, zoom: 0 });
  assert.deepEqual(wide, { x: 960, y: 540, w: PANORAMA.width * VIEW_WIDTH.wide, h: PANORAMA.height * VIEW_WIDTH.wide });
  assert.equal(viewCrop({ pan: -1, tilt: 0, zoom: 0 }).x, 0);
  assert.equal(viewCrop({ pan: 1, tilt: 0, zoom: 0 }).x, PANORAMA.width - wide.w);
  assert.equal(viewCrop({ pan: 0, tilt: 1, zoom: 0 }).y, 0, "tilt up shows the top");
  assert.equal(viewCrop({ pan: 0, tilt: -1, zoom: 0 }).y, PANORAMA.height - wide.h);
  const tele = viewCrop({ pan: 1, tilt: -1, zoom: 1 });
  assert.equal(tele.w, PANORAMA.width * VIEW_WIDTH.tele);
  assert.equal(tele.x + tele.w, PANORAMA.width);
  assert.equal(tele.y + tele.h, PANORAMA.height);
  for (const v of [wide, tele, viewCrop({ pan: 0.375, tilt: -0.625, zoom: 0.75 })]) for (const n of Object.values(v)) assert.equal(n % 2, 0, "even pixels (4:2:0)");
});

test("buildViewArgs: one crop of the scene, a main and a sub clip of the spec's length; the cache key follows the view", () => {
  const args = buildViewArgs(DEFAULT_CLIP_SPEC, { pan: 0.5, tilt: 0, zoom: 0 }, "/tmp/v", null);
  const graph = args[args.indexOf("-filter_complex") + 1];
  const c = viewCrop({ pan: 0.5, tilt: 0, zoom: 0 });
  assert.ok(graph.includes(`crop=${c.w}:${c.h}:${c.x}:${c.y}`), graph);
  assert.deepEqual(args.filter((a) => a.endsWith(".h264")), ["/tmp/v/main.h264", "/tmp/v/sub.h264"]);
  assert.equal(args.filter((a) => a === String(DEFAULT_CLIP_SPEC.fps * DEFAULT_CLIP_SPEC.seconds)).length, 2);
  assert.notEqual(viewCacheKey(DEFAULT_CLIP_SPEC, { pan: 0.5, tilt: 0, zoom: 0 }, null), viewCacheKey(DEFAULT_CLIP_SPEC, { pan: 0.625, tilt: 0, zoom: 0 }, null));
});
