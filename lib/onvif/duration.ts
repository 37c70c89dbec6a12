// xs:duration as ONVIF uses it (PullMessages Timeout, subscription InitialTerminationTime, ContinuousMove Timeout,
// GetStreamUri Timeout): "PT60S", "PT1M30S", "P1DT2H", "PT0.5S". Years and months are refused (their length in
// milliseconds is not fixed) and so are negative durations: a camera needs neither.

const DURATION_RE = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an xs:duration, or null when it is not one this module reads (see above). */
export function parseDuration(text: string | null | undefined): number | null {
  if (typeof text !== "string") return null;
  const s = text.trim();
  const m = DURATION_RE.exec(s);
  // "P" and "PT" alone match the pattern with no parts: not a duration.
  if (!m || s === "P" || s.endsWith("T")) return null;
  const [, d, h, min, sec] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(sec ?? 0) * 1000);
  return Number.isFinite(ms) ? ms : null;
}

/** The xs:duration of a whole number of milliseconds ≥ 0, in seconds: 90_000 → "PT90S", 1_500 → "PT1.5S". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms)) / 1000;
  return `PT${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, "")}S`;
}
