// The numbers of the detection settings that the browser needs too (the settings form), in a module without zod:
// creating a zod object schema probes `new Function` (its JIT), which a strict Content-Security-Policy reports as an
// eval violation in the page. settings.ts builds its schema from these.

/** NanoDet-m's threshold on real footage (SPIKE-REPORT.md): below it, static objects read as people. */
export const DEFAULT_MIN_SCORE = 0.5;
/** Detection rate while there is motion, frames per second per camera. */
export const DEFAULT_DETECT_FPS = 3;
export const MAX_DETECT_FPS = 5;
