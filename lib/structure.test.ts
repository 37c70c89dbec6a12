// The structure rules of the codebase, checked statically (each names the one owner of a concern, see
// ARCHITECTURE.md "Where does X live"): no import cycle between lib/ folders, app/ never touches Prisma, the
// camera-visibility rule only in lib/cameras/access.ts, files removed only by the owners allowed below, the data
// folder's names only in lib/data-dir.ts, one formatBytes. Tests and generated code are left out.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "generated" && e.name !== "node_modules") walk(p);
      } else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(path.relative(root, p).split(path.sep).join("/"));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

const read = (rel: string) => fs.readFileSync(path.join(root, rel), "utf8");
const code = (rel: string) => read(rel).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
const lib = sourceFiles("lib").filter((f) => !f.startsWith("lib/testing/"));
const app = sourceFiles("app");
const workers = sourceFiles("workers");
const scripts = sourceFiles("scripts");

/** The lib/ unit a file belongs to: its folder ("lib/events"), or the file itself for lib/ top-level files. */
function unitOf(rel: string): string {
  const parts = rel.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : rel.replace(/\.tsx?$/, "");
}

function importsOf(rel: string): string[] {
  const src = read(rel);
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g), ...src.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  return specs.flatMap((s) => {
    if (s.startsWith("@/")) return [s.slice(2)];
    if (s.startsWith(".")) return [path.posix.normalize(path.posix.join(path.posix.dirname(rel), s))];
    return [];
  });
}

describe("imports between lib/ folders", () => {
  const edges = new Map<string, Map<string, string>>(); // unit → unit → an example file
  for (const f of lib) {
    for (const target of importsOf(f)) {
      if (!target.startsWith("lib/") || target.startsWith("lib/generated/")) continue;
      const from = unitOf(f);
      const to = unitOf(target.endsWith(".ts") || target.endsWith(".tsx") ? target : `${target}.ts`);
      if (from === to) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      edges.get(from)!.set(to, f);
    }
  }

  test("no two lib/ folders import each other, directly or around a circle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (u: string) => {
      state.set(u, "open");
      stack.push(u);
      for (const v of edges.get(u)?.keys() ?? []) {
        if (state.get(v) === "open") cycles.push([...stack.slice(stack.indexOf(v)), v].map((x) => (x === u ? `${x} (${edges.get(u)!.get(v)})` : x)).join(" → "));
        else if (!state.has(v)) visit(v);
      }
      stack.pop();
      state.set(u, "done");
    };
    for (const u of [...edges.keys()].sort()) if (!state.has(u)) visit(u);
    assert.deepEqual(cycles, []);
  });

  test("the live view and the recorder share ffmpeg through lib/ffmpeg, not each other", () => {
    assert.equal(edges.get("lib/live")?.has("lib/recording") ?? false, false, "lib/live must not import lib/recording");
    for (const other of ["lib/cameras", "lib/recording", "lib/live"]) assert.equal(edges.get("lib/ffmpeg")?.has(other) ?? false, false, `lib/ffmpeg must not import ${other}`);
  });

  test("modules used by workers never import next/*", () => {
    const webOnly = new Set(["lib/auth/session.ts", "lib/auth/guard.ts", "lib/auth/options.ts", "lib/http/route.ts", "lib/http/locale.ts", "lib/i18n/client.tsx"]);
    const reached = new Set<string>();
    const resolve = (t: string) => [t, `${t}.ts`, `${t}.tsx`, `${t}/index.ts`].find((c) => fs.existsSync(path.join(root, c)) && fs.statSync(path.join(root, c)).isFile());
    const walk = (f: string) => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const t of importsOf(f)) {
        const r = resolve(t);
        if (r && (r.startsWith("lib/") || r.startsWith("workers/")) && !r.startsWith("lib/generated/")) walk(r);
      }
    };
    for (const w of workers.filter((w) => w !== "workers/web.ts")) walk(w);
    const offenders = [...reached].filter((f) => webOnly.has(f) || /from\s+["']next(\/|["'])/.test(read(f)));
    assert.deepEqual(offenders, []);
  });
});

describe("app/ calls lib/, never Prisma", () => {
  const models = [...read("prisma/schema.prisma").matchAll(/^model (\w+)/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
  const query = new RegExp(`\\.(?:${models.join("|")})\\.(?:find\\w*|count|create\\w*|update\\w*|delete\\w*|upsert|aggregate|groupBy)\\(|\\$(?:queryRaw|executeRaw|transaction)\\w*\\(`);
  test("the check knows the models", () => assert.ok(models.includes("camera") && models.includes("user")));
  for (const f of app) {
    test(f, () => {
      const src = code(f);
      assert.doesNotMatch(src, /generated\/prisma/, "no Prisma import");
      assert.doesNotMatch(src, query, "no Prisma query: call a lib/ function");
    });
  }
});

describe("one owner per concern", () => {
  test("who sees which camera is decided only in lib/cameras/access.ts", () => {
    const rule = [/access:\s*\{\s*some:\s*\{\s*userId/, /cameraAccess\.\w+\(\s*\{\s*where:\s*\{[^}]*userId/, /"cameras:manage"/];
    // roles.ts and scopes.ts are permission tables (role → permissions, token scope → the permission it needs).
    const offenders = [...lib, ...workers].filter((f) => f !== "lib/cameras/access.ts" && f !== "lib/household/roles.ts" && f !== "lib/auth/scopes.ts").flatMap((f) => rule.filter((r) => r.test(code(f))).map((r) => `${f}: ${r}`));
    // app/ declares permissions on routes and pages (route({ access }), requirePageViewer); it never filters cameras.
    offenders.push(...app.flatMap((f) => rule.slice(0, 2).filter((r) => r.test(code(f))).map((r) => `${f}: ${r}`)));
    assert.deepEqual(offenders, []);
  });

  // Files that remove files, and what they remove. Recordings (clips, photos) and exports are removed only by
  // lib/deletion; the others remove their own temporary or derived files, never a recording.
  const MAY_REMOVE: Record<string, string> = {
    "lib/deletion/pending-files.ts": "the one unlink of listed files",
    "lib/deletion/data-folders.ts": "factory reset: the data folders",
    "lib/secrets.ts": "its own temp file while creating a secret",
    "lib/privacy/reset.ts": "the generated key files",
    "lib/privacy/erase.ts": "its marker file",
    "lib/privacy/export-runner.ts": "the .part file of the export it is writing",
    "lib/privacy/export-jobs.ts": "stray export files without a job (older than an hour)",
    "lib/recording/clip-writer.ts": "its temp file when a clip fails its check",
    "lib/recording/photos.ts": "its temp files",
    "lib/recording/camera-recorder.ts": "live segment runs of the ring (not recordings)",
    "lib/live/ingest-manager.ts": "on-request live runs",
    "lib/events/playable-copy.ts": "the temp file of an H.264 copy whose transcode failed",
    "lib/timelapse/runner.ts": "the temp files of encodes a killed runner left",
    "lib/events/event-file.ts": "its temp folder once the joined event file is open, the concat list it wrote",
    "lib/events/event-cache.ts": "the temp file of a join for playing that failed",
    "lib/deletion/event-cache.ts": "an event's cache folder once pruning emptied it",
    "lib/simulator/clips.ts": "its clip cache",
    "lib/simulator/live-source.ts": "its text overlay file",
    "workers/recorder.ts": "the live ring at start",
  };
  test("files are removed only by the owners listed here", () => {
    const removes = /\b(?:rmSync|unlinkSync|rmdirSync)\(|\bfs\.(?:promises\.)?(?:rm|unlink|rmdir)\(|\b(?:rm|unlink)\((?!\s*\))/;
    const offenders = [...lib, ...app, ...workers].filter((f) => removes.test(code(f)) && !(f in MAY_REMOVE));
    assert.deepEqual(offenders, [], "delete recordings through lib/deletion; add a file here only for its own temporary files");
    const stale = Object.keys(MAY_REMOVE).filter((f) => !fs.existsSync(path.join(root, f)) || !removes.test(code(f)));
    assert.deepEqual(stale, [], "listed but removes nothing (any more): drop it from the list");
  });

  test("the data folder's names are spelled only in lib/data-dir.ts", () => {
    const names = /["'`](?:nightjar\.db|live-ondemand|\.erase-pending|demo-cameras-added|session-secret|credentials-key|vapid-private-key)["'`]/;
    const joined = /path\.(?:posix\.)?join\([^)]*["'`](?:media|live|exports|secrets)["'`]|["'`](?:media|exports|live)\/\$\{/;
    const offenders = [...lib, ...app, ...workers, ...scripts].filter((f) => f !== "lib/data-dir.ts" && (names.test(code(f)) || joined.test(code(f))));
    assert.deepEqual(offenders, []);
  });

  test("byte sizes are formatted by lib/i18n/format.ts only", () => {
    const defines = /(?:function|const)\s+format\w*Bytes\b/;
    const offenders = [...lib, ...app].filter((f) => f !== "lib/i18n/format.ts" && defines.test(code(f)));
    assert.deepEqual(offenders, []);
  });

  test("DAY_MS is declared once (lib/time.ts)", () => {
    const offenders = [...lib, ...app, ...workers, ...scripts].filter((f) => f !== "lib/time.ts" && /const\s+DAY_MS\s*=/.test(code(f)));
    assert.deepEqual(offenders, []);
  });
});
