// The object detector at run time: NanoDet-m (model.ts) on onnxruntime-node's CPU provider. One call takes an rgb24
// frame (and optionally the region of it to look at), letterboxes it (resize.ts), runs the model, decodes and
// suppresses (nanodet.ts, nms.ts) and returns the objects Nightjar has labels for, in frame pixels. Failures are
// DetectorErrors with a code: the model file missing or not the pinned one, or a frame that is not what it says.
import fs from "node:fs";
import * as ort from "onnxruntime-node";
import { toFrame, type Box, type Region } from "./geometry";
import { labelOfClass, type Label } from "./labels";
import { MODEL, modelPath as defaultModelPath, sha256Hex } from "./model";
import { decode, inputTensor, pairOutputs } from "./nanodet";
import { nonMaxSuppression } from "./nms";
import { checkFrame, checkRegion, letterboxRgb, type RgbFrame } from "./resize";

export type DetectorErrorCode = "model_missing" | "model_corrupt" | "bad_frame";

export class DetectorError extends Error {
  constructor(
    readonly code: DetectorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DetectorError";
  }
}

/**
 * Lowest score detect() returns unless told otherwise, 0…1. Deliberately low: the caller's rule (settings.ts, per label)
 * decides what counts; SPIKE-REPORT.md found ≥ 0.5 right for NanoDet-m (it drops its static false positives).
 */
export const DEFAULT_MIN_SCORE = 0.3;

/** An object found in a frame: its box in frame pixels (inside the frame), label, COCO class id and score (0…1). */
export type Found = Box & { label: Label; classId: number; score: number };

export type Detector = {
  /**
   * The labelled objects in `region` of `frame` (default: all of it) scoring at least `minScore`, best first; inferMs
   * is the time of the model itself (input tensor and the ORT run), ms. Throws DetectorError "bad_frame".
   */
  detect(frame: RgbFrame, region?: Region, minScore?: number): Promise<{ found: Found[]; inferMs: number }>;
  close(): Promise<void>;
};

const keepClass = (classId: number) => labelOfClass(classId) !== null;

/**
 * Opens the model at `modelPath` (default: model.ts modelPath()) after checking it is the pinned file. `threads`: ORT's
 * intra-op threads (one detector per server; one thread leaves the other core to ffmpeg and the web server).
 */
export async function openDetector({ modelPath = defaultModelPath(), threads = 1 }: { modelPath?: string; threads?: number } = {}): Promise<Detector> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(modelPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new DetectorError("model_missing", `no detection model at ${modelPath}: run \`npm run build:model\``);
    throw new DetectorError("model_missing", `cannot read the detection model at ${modelPath} (${(err as Error).message}): run \`npm run build:model\``);
  }
  const sha256 = sha256Hex(bytes);
  if (sha256 !== MODEL.sha256) throw new DetectorError("model_corrupt", `${modelPath} is not the ${MODEL.name} model Nightjar pins (SHA-256 ${sha256}, expected ${MODEL.sha256}): delete it and run \`npm run build:model\``);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" });
  } catch (err) {
    throw new DetectorError("model_corrupt", `onnxruntime cannot load ${modelPath} (${(err as Error).message.split("\n")[0]}): delete it and run \`npm run build:model\``);
  }
  const inputName = session.inputNames[0];
  const size = MODEL.inputSize;

  return {
    async detect(frame, region, minScore = DEFAULT_MIN_SCORE) {
      const area = region ?? { x: 0, y: 0, width: frame.width, height: frame.height };
      try {
        checkFrame(frame);
        checkRegion(area, frame);
      } catch (err) {
        throw new DetectorError("bad_frame", (err as Error).message);
      }
      const picture = letterboxRgb(frame, area, size);
      const started = performance.now();
      const outputs = await session.run({ [inputName]: new ort.Tensor("float32", inputTensor(picture.rgb, size), [1, 3, size, size]) });
      const inferMs = performance.now() - started;
      const strides = pairOutputs(session.outputNames.map((name) => ({ dims: outputs[name].dims, data: outputs[name].data as Float32Array })), size);
      const found = nonMaxSuppression(decode(strides, minScore, keepClass, size))
        .map((d) => ({ ...toFrame(d, area, picture.scale), label: labelOfClass(d.classId)!, classId: d.classId, score: d.score }))
        .filter((d) => d.x2 > d.x1 && d.y2 > d.y1);
      return { found, inferMs };
    },
    close: () => session.release(),
  };
}
