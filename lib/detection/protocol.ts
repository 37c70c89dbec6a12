// The messages between the recorder and the detector worker (workers/detector.ts, a child process on Node's IPC
// channel with "advanced" serialization, so frames travel as bytes, not JSON). The recorder's client sends one frame at
// a time and waits for its answer; the worker never holds more than one.
import type { Box, Region } from "./geometry";
import type { Label } from "./labels";

/** A detection in frame pixels. */
export type Found = Box & { label: Label; score: number };

export type DetectRequest = {
  type: "detect";
  id: number;
  width: number;
  height: number;
  /** rgb24, width × height × 3 bytes. */
  rgb: Uint8Array;
  /** The part of the frame to look at (around the motion); the whole frame when absent. */
  region?: Region;
  /** Detections below this score are not returned (the lowest minimum of the camera's labels). */
  minScore: number;
};

export type ModelFacts = { name: string; inputSize: number; sha256: string; threads: number };

export type DetectorMessage =
  | { type: "ready"; model: ModelFacts; loadMs: number }
  | { type: "result"; id: number; found: Found[]; inferMs: number }
  | { type: "failed"; id: number; code: string; message: string }
  /** The worker cannot run at all (model missing or corrupt): it exits after this. */
  | { type: "fatal"; code: string; message: string };

/** Exit code of a worker that sent "fatal": restarting will not help until an admin acts (slow retries). */
export const FATAL_EXIT_CODE = 3;
