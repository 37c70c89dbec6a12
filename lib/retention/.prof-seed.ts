import fs from "node:fs";
import { applyMigrations } from "../testing/db";
import { seedEvents, type SeedEvent } from "./seed";
import Database from "better-sqlite3";
const dir = "/tmp/rtn/prof"; fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true });
const file = `${dir}/nightjar.db`;
applyMigrations(file);
const s = new Database(file);
s.exec(`INSERT INTO Household (id, name, createdAt) VALUES (1, 'b', '2026-01-01T00:00:00.000+00:00')`);
for (const c of ["cam1","cam2","cam3","cam4"]) s.prepare(`INSERT INTO Camera (id, name, mainStreamUrl, createdAt, updatedAt) VALUES (?, ?, 'rtsp://x/', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`).run(c, c);
s.close();
const NOW = Date.parse("2026-11-22T00:00:00Z"); const span = 28 * 86400000; const N = 1_000_000;
function* gen(): Generator<SeedEvent> { for (let i = 0; i < N; i++) { const startedAt = new Date(NOW - span + Math.floor(i * span / N)); yield { id: `r${i.toString(36)}`, cameraId: ["cam1","cam2","cam3","cam4"][i % 4], startedAt, endedAt: new Date(startedAt.getTime() + 20000), isProtected: i % 500 === 0, clips: 1, photo: true }; } }
const t = Date.now(); console.log(seedEvents(file, gen(), { clipBytes: 2e6, transactionSize: 50000 }), Date.now() - t);
