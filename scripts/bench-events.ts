// `npm run bench:events`: the event list and retention at scale, against a real SQLite file in a temporary data folder.
//   1. Seeds 1,000,000 events of 4 cameras over the last 28 days (one clip and a photo each; rows only, raw
//      better-sqlite3 in large transactions) and 25,000 expired events (35–60 days old) with 4 clips each: 100,000
//      clips as real 1 KB files, plus their photos and thumbnails (150,000 files).
//   2. Times lib/events/events.ts listEvents(db, viewer, opts) — first pages and deep pages with filters, as an admin
//      and as a member, the review queue included — and prints p50/p95 against the 30 ms target; then the review count
//      the navigation shows on every page (countToReview) against its 5 ms target.
//   2b. The Events page's server work (issue #18): what a member waits for before the first byte, without the React
//      render — the layout's (session, household, unread and review counts, modes) and the page's (cameras, the list,
//      the day strip of today, the review count once: countToReviewOnce) — and "next page" (what the list's "Load more"
//      calls: GET /api/events?before=…: session and listEvents), p50/p95 against the 150 ms target, with each part's
//      figures beside it; then the Storage page's summary (getStorageSummary) against its 200 ms target.
//   3. Runs one retention pass (applyRetention: plan, then delete in batches) over the expired events while a
//      simulated recorder in a child process writes like the real one (every second: a segment-sized file, then an
//      Event and a Clip row through Prisma), and prints the time to plan and apply (target ≤ 60 s) and the recorder's
//      longest gap between two successful writes during the sweep (target ≤ 2 s).
//   2c. Only with --http (`npm run bench:events -- --http`; builds the web app first when its build is not current): the
//      same page for real, React render and network included. Starts the production web process (workers/web.ts, as
//      `npm start` runs it, without the workers) on this data folder on a free loopback port, signs a member and an
//      admin in through next-auth's credentials flow (what the login form posts), then times, after HTTP_WARMUP requests
//      that are not counted, HTTP_RUNS sequential requests each (whole answer read): GET /events (the first render:
//      the review queue and today's day strip, full HTML) and the list's "Load more" (GET /api/events?show=review&
//      before=…), p50/p95 against the 150 ms target, beside GET /api/health as the same run's baseline (503 there:
//      no worker beats, the same work). To show where the time goes it also times (HTTP_DIAG_RUNS each) the page on
//      a day without events (?day=…: no day-strip rows), the page's RSC payload alone (header RSC: 1: the render
//      without the HTML, what a client-side navigation fetches) and the day strip alone (GET /api/events/timeline,
//      JSON), and prints each answer's size (the page's HTML and, of it, the RSC payload scripts).
// Environment: BENCH_DIR (parent of the temporary data folder; default the system temp folder), BENCH_KEEP=1 keeps it;
// BENCH_EVENTS and BENCH_EXPIRED_EVENTS scale the run down for a quick try.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDb } from "../lib/db";
import { encodeCursor, listEvents, type ListEventsOptions } from "../lib/events/events";
import { countToReview } from "../lib/events/review";
import { newId } from "../lib/ids";
import { MIB } from "../lib/i18n/format";
import { applyRetention } from "../lib/retention/apply";
import { DAY_MS } from "../lib/time";
import { seedEvents, type SeedEvent } from "../lib/testing/seed-events";
import { getStorageSummary } from "../lib/retention/storage";
import { listVisibleCameras } from "../lib/cameras/access";
import { listDayEvents } from "../lib/events/events";
import { isSetUp } from "../lib/household/setup";
import { getHouseholdName } from "../lib/household/household";
import { countUnread } from "../lib/notifications/centre";
import { getModeState } from "../lib/modes/modes";
import { resolveViewer } from "../lib/auth/viewer";
import { dayOf, todayIn } from "../lib/time";
import { applyMigrations } from "../lib/testing/db";
import { databaseFile, mediaDir } from "../lib/data-dir";
import { hashPassword } from "../lib/household/password";
import { buildWebApp, isBuildCurrent } from "./build";
import { CookieJar, stopTree } from "./bench-live";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const EXPIRED_EVENTS = Number(process.env.BENCH_EXPIRED_EVENTS ?? 25_000);
const CLIPS_PER_EXPIRED = 4;
const CAMERAS = ["cam1", "cam2", "cam3", "cam4"];
const RUNS = 200;
const LIST_TARGET_MS = 30;
/** The review count the navigation shows on every page (issue #18): p95, ms. */
const REVIEW_COUNT_TARGET_MS = 5;
/** The Events page's first render and its "next page", on the server (issue #18): p95, ms. */
const PAGE_TARGET_MS = 150;
/** The Storage page's summary (issue #18): p95, ms. */
const STORAGE_TARGET_MS = 200;
const SUMMARY_RUNS = 20;
const SWEEP_TARGET_S = 60;
const GAP_TARGET_S = 2;
/** What the simulated recorder writes each second: a 1 s segment of a 4 Mbit/s camera, bytes. */
const SEGMENT_BYTES = 512 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** --http: the Events page through the production server too (section 2c). */
const HTTP = process.argv.includes("--http");
/** Requests timed per HTTP case, and the ones before them that are not counted (they fill the server's caches). */
const HTTP_RUNS = 100;
const HTTP_WARMUP = 10;
/** Requests timed per diagnostic HTTP case (the page on an empty day, the day strip alone). */
const HTTP_DIAG_RUNS = 30;
/** How long the web process may take to answer its first request, ms. */
const SERVER_START_MS = 120_000;
const BENCH_PASSWORD = "bench-events-password";

if (process.argv[2] === "--recorder") {
  await simulateRecorder(process.argv[3]);
  process.exit(0);
}

/** Child process: writes like the recorder until SIGTERM, then prints each write's end time and duration as JSON. */
async function simulateRecorder(dataDir: string) {
  const db = await openDb(databaseFile(dataDir));
  const segment = Buffer.alloc(SEGMENT_BYTES, 1);
  const dir = path.join(mediaDir(dataDir), "cam1", "bench-recorder");
  fs.mkdirSync(dir, { recursive: true });
  const writes: { at: number; ms: number }[] = [];
  const errors: string[] = [];
  let stopping = false;
  process.on("SIGTERM", () => (stopping = true));
  const t0 = Date.now();
  for (let k = 0; !stopping; k++) {
    const wait = t0 + k * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    const started = Date.now();
    try {
      const id = newId();
      const file = path.join(dir, `${id}.mp4`);
      await fs.promises.writeFile(`${file}.tmp-1`, segment); // file first (temp name, then rename), rows second
      await fs.promises.rename(`${file}.tmp-1`, file);
      await db.event.create({ data: { id, cameraId: "cam1", cameraName: "Cam 1", startedAt: new Date(started), endedAt: new Date(started + 1000) } });
      await db.clip.create({ data: { id: newId(), eventId: id, sequence: 1, path: `cam1/bench-recorder/${id}.mp4`, bytes: SEGMENT_BYTES, startedAt: new Date(started), durationMs: 1000 } });
      writes.push({ at: Date.now(), ms: Date.now() - started });
      if (writes.length === 1) process.stdout.write("ready\n");
    } catch (err) {
      errors.push(String(err));
    }
  }
  process.stdout.write(JSON.stringify({ writes, errors }) + "\n");
  await db.$disconnect();
}

const fmtInt = (n: number) => n.toLocaleString("en-US");
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");

/** The web process alone (workers/web.ts: no scheduler, so no retention sweep, and no recorder) on `dataDir`. */
async function startWeb(dataDir: string): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base, LOG_LEVEL: "error", NEXT_TELEMETRY_DISABLED: "1" };
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "workers/web.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const deadline = Date.now() + SERVER_START_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the web process exited (${child.exitCode ?? child.signalCode}) while starting:\n${output}`);
    // Any answer will do: /api/health is 503 without the workers' heartbeats.
    if (await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false)) return { child, base, output: () => output };
    if (Date.now() > deadline) {
      await stopTree(child, 10_000);
      throw new Error(`the web process did not answer within ${SERVER_START_MS / 1000} s:\n${output}`);
    }
    await sleep(500);
  }
}

/** Signs in through next-auth's credentials provider, as the login form does; the jar then holds the session cookie. */
async function signInOverHttp(base: string, jar: CookieJar, login: string, password: string): Promise<void> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  jar.absorb(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: jar.header, origin: base, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, login, password, callbackUrl: `${base}/events`, json: "true" }),
    redirect: "manual",
  });
  jar.absorb(res);
  if (![...jar.cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${login} failed (${res.status})`);
}

/** `warmup` + `runs` sequential GETs of `url` (each answer read to its end): the times of the last `runs`, ms, and the last answer. */
async function timeGets(url: string, cookie: string, runs: number, warmup: number, statuses = [200], headers: Record<string, string> = {}): Promise<{ times: number[]; body: string }> {
  const times: number[] = [];
  let body = "";
  for (let i = 0; i < warmup + runs; i++) {
    const s0 = performance.now();
    const res = await fetch(url, { headers: { ...headers, cookie }, redirect: "manual" });
    body = await res.text();
    const ms = performance.now() - s0;
    if (!statuses.includes(res.status)) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
    if (i >= warmup) times.push(ms);
  }
  return { times, body };
}

/** An HTML page's size and, of it, the RSC payload Next inlines as `self.__next_f.push(…)` scripts, KiB. */
function pageSize(html: string): string {
  const rsc = (html.match(/<script[^>]*>self\.__next_f\.push\([\s\S]*?<\/script>/g) ?? []).reduce((n, s) => n + Buffer.byteLength(s), 0);
  return `${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB (RSC payload ${(rsc / 1024).toFixed(0)} KiB)`;
}

/**
 * Section 2c: the Events page through the production server, as a member whose mark is a day old (the newest 5,000 of
 * their cameras marked one by one) and as an admin with everything to review. Whether every target was met.
 */
async function benchHttp(db: Awaited<ReturnType<typeof openDb>>, dataDir: string): Promise<boolean> {
  await db.user.update({ where: { id: "member" }, data: { reviewedUpTo: new Date(NOW - DAY_MS) } });
  await db.user.updateMany({ data: { passwordHash: await hashPassword(BENCH_PASSWORD) } });
  const server = await startWeb(dataDir);
  let ok = true;
  try {
    const row = (name: string, times: number[], extra: string, target: boolean) => {
      const p95 = pct(times, 95);
      if (target) ok &&= p95 <= PAGE_TARGET_MS;
      const goal = target ? `≤ ${PAGE_TARGET_MS} ms ${verdict(p95 <= PAGE_TARGET_MS)}` : "";
      console.log(`  ${name.padEnd(74)} ${pct(times, 50).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ${goal.padEnd(18)} ${extra}`);
    };
    console.log(`\nEvents page over HTTP (production build, web process only; ${HTTP_RUNS} requests per case after ${HTTP_WARMUP} uncounted)   p50       p95   target`);
    const health = await timeGets(`${server.base}/api/health`, "", HTTP_RUNS, HTTP_WARMUP, [200, 503]);
    row("GET /api/health (baseline; 503 without the workers)", health.times, "", false);
    const emptyDay = dayOf(NOW - 100 * DAY_MS, "UTC"); // before every seeded event
    for (const who of ["member", "admin"]) {
      const jar = new CookieJar();
      await signInOverHttp(server.base, jar, `${who}@bench.test`, BENCH_PASSWORD);
      const first = await fetch(`${server.base}/api/events?show=review`, { headers: { cookie: jar.header } });
      const { nextBefore } = (await first.json()) as { nextBefore: string | null };
      const page = await timeGets(`${server.base}/events`, jar.header, HTTP_RUNS, HTTP_WARMUP);
      row(`${who}, GET /events (first render: review queue, today's day strip)`, page.times, pageSize(page.body), true);
      if (nextBefore) {
        const next = await timeGets(`${server.base}/api/events?show=review&before=${encodeURIComponent(nextBefore)}`, jar.header, HTTP_RUNS, HTTP_WARMUP);
        row(`${who}, next page (GET /api/events?show=review&before=…)`, next.times, `${(Buffer.byteLength(next.body) / 1024).toFixed(0)} KiB`, true);
      } else console.log(`  ${who}, next page: the review queue is one page (a scaled-down run?), not timed`);
      const empty = await timeGets(`${server.base}/events?day=${emptyDay}`, jar.header, HTTP_DIAG_RUNS, 3);
      row(`  where: the same page on a day without events (${HTTP_DIAG_RUNS} requests)`, empty.times, pageSize(empty.body), false);
      // The page's RSC payload alone (what a client-side navigation fetches): the render without the HTML.
      const probe = await fetch(`${server.base}/events`, { headers: { cookie: jar.header, rsc: "1" }, redirect: "manual" });
      await probe.text();
      const rscUrl = probe.status >= 300 && probe.status < 400 ? new URL(probe.headers.get("location") ?? "/events", server.base).href : `${server.base}/events`;
      const rsc = await timeGets(rscUrl, jar.header, HTTP_DIAG_RUNS, 3, [200], { rsc: "1" });
      row(`  where: the same page's RSC payload alone (RSC: 1, ${HTTP_DIAG_RUNS} requests)`, rsc.times, `${(Buffer.byteLength(rsc.body) / 1024).toFixed(0)} KiB`, false);
      const strip = await timeGets(`${server.base}/api/events/timeline`, jar.header, HTTP_DIAG_RUNS, 3);
      type Strip = { events: unknown[]; density: { total: number; bucketMs: number } | null; window: { from: string; to: string } };
      const said = (d: Strip) => (d.density ? `density of ${fmtInt(d.density.total)} events by ${d.density.bucketMs / 60_000} min` : `${fmtInt(d.events.length)} events`);
      const day = JSON.parse(strip.body) as Strip;
      row(`  where: today's day strip alone (GET /api/events/timeline, ${HTTP_DIAG_RUNS} requests)`, strip.times, `${(Buffer.byteLength(strip.body) / 1024).toFixed(0)} KiB, ${said(day)}`, false);
      // Zoomed in to the last hour (what the timeline asks for then): its events one by one, or density.
      const hourTo = Math.floor(NOW / 1000) * 1000;
      const hourUrl = `${server.base}/api/events/timeline?day=${dayOf(hourTo - 1000, "UTC")}&tz=UTC&from=${new Date(hourTo - 3_600_000).toISOString()}&to=${new Date(hourTo).toISOString()}`;
      const hour = await timeGets(hourUrl, jar.header, HTTP_DIAG_RUNS, 3);
      row(`  where: an hour of today zoomed in (GET /api/events/timeline?from=…&to=…, ${HTTP_DIAG_RUNS} requests)`, hour.times, `${(Buffer.byteLength(hour.body) / 1024).toFixed(0)} KiB, ${said(JSON.parse(hour.body) as Strip)}`, false);
    }
  } catch (err) {
    console.error(server.output().slice(-2000));
    throw err;
  } finally {
    await stopTree(server.child, 10_000);
    await db.user.updateMany({ data: { reviewedUpTo: null } });
  }
  return ok;
}

if (HTTP && !isBuildCurrent()) {
  console.log("bench:events --http: building the web app first (the production build is measured)…");
  if (buildWebApp() !== 0) process.exit(1);
}

const parent = process.env.BENCH_DIR ?? os.tmpdir();
fs.mkdirSync(parent, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(parent, "nightjar-bench-events-"));
const dbFile = databaseFile(dataDir);
const mediaFolder = mediaDir(dataDir);
process.env.DATA_DIR = dataDir;
const NOW = Date.now();

console.log(`bench:events — data folder ${dataDir}`);
try {
  // 1. Seed.
  applyMigrations(dbFile);
  const db = await openDb(dbFile);
  await db.household.create({ data: { name: "Bench" } });
  for (const id of CAMERAS) await db.camera.create({ data: { id, name: `Camera ${id.slice(3)}`, mainStreamUrl: `rtsp://192.0.2.1/${id}` } });
  await db.user.create({ data: { id: "admin", email: "admin@bench.test", passwordHash: "x", role: "admin" } });
  await db.user.create({ data: { id: "member", email: "member@bench.test", passwordHash: "x", role: "member" } });
  await db.cameraAccess.createMany({ data: [{ cameraId: "cam2", userId: "member" }, { cameraId: "cam3", userId: "member" }] });

  let t = performance.now();
  const span = 28 * DAY_MS;
  function* recent(): Generator<SeedEvent> {
    for (let i = 0; i < EVENTS; i++) {
      const startedAt = new Date(NOW - span + Math.floor((i * span) / EVENTS));
      yield { id: `r${i.toString(36).padStart(5, "0")}`, cameraId: CAMERAS[i % 4], startedAt, endedAt: new Date(startedAt.getTime() + 20_000), isProtected: i % 500 === 0, clips: 1, photo: true };
    }
  }
  const rows = seedEvents(dbFile, recent(), { clipBytes: 2 * MIB, photoBytes: 150_000, thumbBytes: 8_000, transactionSize: 50_000 });
  const rowsS = (performance.now() - t) / 1000;
  t = performance.now();
  function* expired(): Generator<SeedEvent> {
    for (let i = 0; i < EXPIRED_EVENTS; i++) {
      const startedAt = new Date(NOW - 35 * DAY_MS - Math.floor((i * 25 * DAY_MS) / EXPIRED_EVENTS));
      yield { id: `old-${i.toString(36).padStart(4, "0")}`, cameraId: CAMERAS[i % 4], startedAt, endedAt: new Date(startedAt.getTime() + 40_000), clips: CLIPS_PER_EXPIRED, photo: true };
    }
  }
  const old = seedEvents(dbFile, expired(), { mediaDir: mediaFolder, clipBytes: 1024, photoBytes: 512, thumbBytes: 128, transactionSize: 5_000 });
  const filesS = (performance.now() - t) / 1000;
  await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  console.log(
    `seeded ${fmtInt(rows.events)} events with ${fmtInt(rows.clips)} clips and ${fmtInt(rows.photos)} photos (rows only) in ${rowsS.toFixed(1)} s; ` +
      `${fmtInt(old.events)} expired events with ${fmtInt(old.clips)} clips and ${fmtInt(old.files)} real files in ${filesS.toFixed(1)} s`,
  );

  // 2. The event list.
  const admin = { id: "admin", role: "admin" as const };
  const member = { id: "member", role: "member" as const };
  const from = new Date(NOW - 21 * DAY_MS);
  const to = new Date(NOW - 3 * DAY_MS);
  /** The cursor `offset` events into a filtered list (found once with OFFSET; the measured query never uses it). */
  const deepCursor = async (cameraIds: string[], offset: number, isProtected?: boolean) => {
    const [row] = await db.$queryRawUnsafe<{ id: string; startedAt: Date }[]>(
      `SELECT id, startedAt FROM Event WHERE cameraId IN (${cameraIds.map(() => "?").join(",")}) AND startedAt >= ? AND startedAt < ?${isProtected === undefined ? "" : " AND isProtected = ?"} ORDER BY startedAt DESC, id DESC LIMIT 1 OFFSET ?`,
      ...cameraIds,
      from,
      to,
      ...(isProtected === undefined ? [] : [isProtected ? 1 : 0]),
      offset,
    );
    return encodeCursor({ id: row.id, startedAt: new Date(row.startedAt) });
  };
  const deep = Math.floor(EVENTS / 50); // 20,000 events in at 1,000,000: page 401
  const page = (offset: number) => `page ${fmtInt(offset / 50 + 1)}`;
  const cases: { name: string; viewer: typeof admin | typeof member; opts: ListEventsOptions }[] = [
    { name: "admin, first page", viewer: admin, opts: {} },
    { name: "member (2 cameras), first page", viewer: member, opts: {} },
    { name: `admin, 2 cameras + dates, ${page(deep)}`, viewer: admin, opts: { cameraIds: ["cam1", "cam3"], from, to, before: await deepCursor(["cam1", "cam3"], deep) } },
    { name: `member, 1 camera + dates + unprotected, ${page(deep / 2)}`, viewer: member, opts: { cameraIds: ["cam2"], from, to, protected: false, before: await deepCursor(["cam2"], deep / 2, false) } },
    { name: `admin, dates only, ${page(deep)}`, viewer: admin, opts: { from, to, before: await deepCursor(CAMERAS, deep) } },
    { name: "admin, protected only, first page", viewer: admin, opts: { protected: true } },
    // The review queue (a member new to the household: every event is still to review).
    { name: "admin, to review, first page", viewer: admin, opts: { toReview: true } },
    { name: "member (2 cameras), to review, first page", viewer: member, opts: { toReview: true } },
  ];
  console.log(`\nevent list: listEvents(db, viewer, opts), 50 per page, ${RUNS} runs each     p50       p95   target`);
  let listOk = true;
  for (const c of cases) {
    for (let i = 0; i < 5; i++) await listEvents(db, c.viewer, c.opts);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      count = (await listEvents(db, c.viewer, c.opts)).events.length;
      times.push(performance.now() - s);
    }
    const p95 = pct(times, 95);
    listOk &&= p95 <= LIST_TARGET_MS;
    console.log(`  ${`${c.name} [${count}]`.padEnd(62)} ${pct(times, 50).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ≤ ${LIST_TARGET_MS} ms ${verdict(p95 <= LIST_TARGET_MS)}`);
  }

  // The count in the navigation (every page): everything to review (the count stops at its cap), a member whose mark
  // is a day old, and one who also marked the newest 5,000 events one by one.
  await db.eventReview.createMany({ data: (await db.event.findMany({ where: { cameraId: { in: ["cam2", "cam3"] } }, orderBy: { startedAt: "desc" }, take: 5_000, select: { id: true } })).map((e) => ({ userId: "member", eventId: e.id })) });
  const countCases: { name: string; viewer: typeof admin | typeof member; upTo: Date | null }[] = [
    { name: "admin, everything to review", viewer: admin, upTo: null },
    { name: "member, mark a day old, 5,000 newest marked one by one", viewer: member, upTo: new Date(NOW - DAY_MS) },
    { name: "member, mark 28 days old, 5,000 newest marked one by one", viewer: member, upTo: new Date(NOW - 28 * DAY_MS) },
  ];
  console.log(`
review count in the navigation: countToReview(db, viewer), ${RUNS} runs each          p50       p95   target`);
  let countOk = true;
  for (const c of countCases) {
    await db.user.update({ where: { id: c.viewer.id }, data: { reviewedUpTo: c.upTo } });
    for (let i = 0; i < 5; i++) await countToReview(db, c.viewer);
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < RUNS; i++) {
      const s0 = performance.now();
      n = await countToReview(db, c.viewer);
      times.push(performance.now() - s0);
    }
    const p95 = pct(times, 95);
    countOk &&= p95 <= REVIEW_COUNT_TARGET_MS;
    console.log(`  ${`${c.name} [${n}]`.padEnd(62)} ${pct(times, 50).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ≤ ${REVIEW_COUNT_TARGET_MS} ms ${verdict(p95 <= REVIEW_COUNT_TARGET_MS)}`);
  }
  await db.user.updateMany({ data: { reviewedUpTo: null } });

  // The Events page: the server's work for the first render and for "next page", part by part, as a member whose
  // mark is a day old (5,000 newest marked) and as an admin with everything to review.
  await db.user.update({ where: { id: "member" }, data: { reviewedUpTo: new Date(NOW - DAY_MS) } });
  const timeZone = "Europe/Amsterdam";
  const claimsOf = async (id: string) => ({ uid: id, sv: (await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion, authAt: NOW, sid: `bench-${id}` });
  type Part = { name: string; run: () => Promise<unknown> };
  const pageParts = (id: string, claims: unknown, next?: string): Part[] => {
    let viewer: Awaited<ReturnType<typeof resolveViewer>> = null;
    const v = () => viewer!;
    const session: Part[] = [
      { name: "session (isSetUp, resolveViewer)", run: async () => (await isSetUp(db), (viewer = await resolveViewer(db, claims, new Date(), 30 * 86_400))) },
    ];
    if (next !== undefined) return [...session, { name: "listEvents, all events, page 2", run: () => listEvents(db, v(), { before: next }) }];
    return [
      ...session,
      { name: "layout: household, unread, modes", run: async () => Promise.all([getHouseholdName(db), countUnread(db, id), getModeState(db, { withChangedBy: false })]) },
      { name: "countToReview (once: layout and page)", run: () => countToReview(db, v()) },
      { name: "listVisibleCameras", run: () => listVisibleCameras(db, v()) },
      { name: "listEvents, review queue, first page", run: () => listEvents(db, v(), { toReview: true }) },
      { name: "listDayEvents, today (the day strip)", run: () => listDayEvents(db, v(), { day: todayIn(timeZone, NOW), timeZone }) },
    ];
  };
  console.log(`\nEvents page on the server (data work of the layout and the page, no React render), ${RUNS} runs each   p50       p95   target`);
  let pageOk = true;
  for (const who of [member, admin]) {
    const claims = await claimsOf(who.id);
    const first = await listEvents(db, who, {}); // "next page" of show=all (the review queue may be one page)
    for (const [label, parts] of [
      [`${who.id}, first render`, pageParts(who.id, claims)],
      [`${who.id}, next page (GET /api/events?show=all&before=…)`, pageParts(who.id, claims, first.nextBefore ?? undefined)],
    ] as const) {
      const per = parts.map(() => [] as number[]);
      const totals: number[] = [];
      for (let i = 0; i < RUNS + 5; i++) {
        let sum = 0;
        for (let k = 0; k < parts.length; k++) {
          const s0 = performance.now();
          await parts[k].run();
          const ms = performance.now() - s0;
          sum += ms;
          if (i >= 5) per[k].push(ms);
        }
        if (i >= 5) totals.push(sum);
      }
      const p95 = pct(totals, 95);
      pageOk &&= p95 <= PAGE_TARGET_MS;
      console.log(`  ${label.padEnd(62)} ${pct(totals, 50).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ≤ ${PAGE_TARGET_MS} ms ${verdict(p95 <= PAGE_TARGET_MS)}`);
      parts.forEach((p, k) => console.log(`    ${p.name.padEnd(60)} ${pct(per[k], 50).toFixed(1).padStart(6)} ms ${pct(per[k], 95).toFixed(1).padStart(6)} ms`));
    }
  }
  await db.user.updateMany({ data: { reviewedUpTo: null } });

  // 2c. The same page through the production server (--http).
  const httpOk = HTTP ? await benchHttp(db, dataDir) : null;

  // The Storage page's summary over the same data.
  const summaryTimes: number[] = [];
  for (let i = 0; i < SUMMARY_RUNS + 2; i++) {
    const s0 = performance.now();
    await getStorageSummary(db, { dataDir, floorBytes: 2048 * MIB, now: new Date(NOW), timeZone });
    if (i >= 2) summaryTimes.push(performance.now() - s0);
  }
  const storageP95 = pct(summaryTimes, 95);
  const storageOk = storageP95 <= STORAGE_TARGET_MS;
  console.log(`\nStorage page summary (getStorageSummary), ${SUMMARY_RUNS} runs: p50 ${pct(summaryTimes, 50).toFixed(0)} ms, p95 ${storageP95.toFixed(0)} ms   ≤ ${STORAGE_TARGET_MS} ms ${verdict(storageOk)}`);

  // 3. Retention while a recorder writes.
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "bench-events.ts"), "--recorder", dataDir], {
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const exited = new Promise((r) => child.once("exit", r));
  while (!out.includes("ready\n")) {
    if (child.exitCode !== null) throw new Error("the simulated recorder stopped");
    await sleep(50);
  }
  await sleep(3000); // a few writes before the sweep, for comparison
  const sweepStart = Date.now();
  let planAt = 0;
  const r = await applyRetention(db, { dataDir, floorBytes: 2048 * MIB, onPlan: () => (planAt = Date.now()) });
  const sweepEnd = Date.now();
  await sleep(3000);
  child.kill("SIGTERM");
  await exited;
  const rec = JSON.parse(out.slice(out.indexOf("\n") + 1).trim()) as { writes: { at: number; ms: number }[]; errors: string[] };

  let gapDuring = 0;
  let gapOutside = 0;
  for (let i = 1; i < rec.writes.length; i++) {
    const gap = rec.writes[i].at - rec.writes[i - 1].at;
    if (rec.writes[i].at >= sweepStart && rec.writes[i - 1].at <= sweepEnd) gapDuring = Math.max(gapDuring, gap);
    else gapOutside = Math.max(gapOutside, gap);
  }
  const during = rec.writes.filter((w) => w.at >= sweepStart && w.at <= sweepEnd);
  const totalS = (sweepEnd - sweepStart) / 1000;
  const clipsLeft = await db.clip.count({ where: { eventId: { startsWith: "old-" } } });
  console.log(`\nretention of ${fmtInt(old.clips)} expired clips (${fmtInt(old.events)} events, ${fmtInt(old.files)} files) among ${fmtInt(rows.events + old.events)} events, while a recorder writes every 1 s`);
  console.log(`  deleted ${fmtInt(r.deleted.events)} events, ${fmtInt(r.deleted.clips)} clips, ${fmtInt(r.deleted.files)} files (${fmtInt(r.deleted.missingFiles)} already gone, ${r.deleted.failedFiles} failed); expired clips left: ${clipsLeft}`);
  console.log(`  plan ${((planAt - sweepStart) / 1000).toFixed(1)} s + apply ${((sweepEnd - planAt) / 1000).toFixed(1)} s = ${totalS.toFixed(1)} s   target ≤ ${SWEEP_TARGET_S} s ${verdict(totalS <= SWEEP_TARGET_S && clipsLeft === 0)}`);
  console.log(
    `  recorder: ${during.length} writes during the sweep, longest gap between writes ${(gapDuring / 1000).toFixed(2)} s (outside the sweep ${(gapOutside / 1000).toFixed(2)} s), ` +
      `slowest write ${(Math.max(...during.map((w) => w.ms), 0) / 1000).toFixed(2)} s, ${rec.errors.length} failed   target ≤ ${GAP_TARGET_S} s ${verdict(gapDuring <= GAP_TARGET_S * 1000 && rec.errors.length === 0)}`,
  );
  if (rec.errors.length) console.log(`  recorder errors: ${rec.errors.slice(0, 3).join(" | ")}`);
  console.log(`\nlist p95 ${verdict(listOk)} · review count p95 ${verdict(countOk)} · Events page p95 ${verdict(pageOk)}${httpOk === null ? "" : ` · Events page over HTTP p95 ${verdict(httpOk)}`} · storage summary p95 ${verdict(storageOk)} · sweep ${verdict(totalS <= SWEEP_TARGET_S && clipsLeft === 0)} · recorder gap ${verdict(gapDuring <= GAP_TARGET_S * 1000 && rec.errors.length === 0)}`);
  await db.$disconnect();
} finally {
  if (process.env.BENCH_KEEP !== "1") fs.rmSync(dataDir, { recursive: true, force: true });
}
