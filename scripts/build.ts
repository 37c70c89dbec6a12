// `npm run build`: the detection model (scripts/build-model.ts: fetched, converted and checked against its pinned hash)
// and the production build of the web app, stamped with a fingerprint of its sources so that `npm start` rebuilds only
// when something changed (after a git pull, say).
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { modelFileState } from "../lib/detection/model";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = path.join(root, ".next", "nightjar-source-fingerprint");

/** Fingerprint of everything that goes into the web build: paths, sizes and modification times. */
export function sourceFingerprint(): string {
  const hash = crypto.createHash("sha256");
  const add = (p: string) => {
    const st = fs.statSync(p);
    hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith(".test.ts")) add(p);
    }
  };
  for (const dir of ["app", "lib", "public"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of ["next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"]) if (fs.existsSync(path.join(root, file))) add(path.join(root, file));
  return hash.digest("hex");
}

export function isBuildCurrent(): boolean {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === sourceFingerprint();
}

/** Runs `next build`; returns its exit code and stamps a successful build. */
export function buildWebApp(env: NodeJS.ProcessEnv = process.env): number {
  const fingerprint = sourceFingerprint();
  const res = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, env: { ...env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: "inherit" });
  if (res.status === 0) fs.writeFileSync(stampFile, fingerprint);
  return res.status ?? 1;
}

/** Whether the detection model is in place, byte for byte the pinned file. */
export const isModelCurrent = () => modelFileState().state === "ok";

/** Runs `npm run build:model` in its own process (the converter's tfjs needs ~0.7 GB for a while); returns its exit code. */
export function buildModel(env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/build-model.ts")], { cwd: root, env, stdio: "inherit" }).status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(buildModel() || buildWebApp());
