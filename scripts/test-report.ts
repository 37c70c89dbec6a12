// What `npm test` says about its test runners' output (scripts/test-all.ts): how many passed and failed, and a short
// digest of each failure — which test, and the first lines of why — printed again at the very end of the run, where a
// CI log that keeps only its last lines still shows it. Pure functions of the runners' text (no colours: FORCE_COLOR=0).

export type Counts = { passed: number; failed: number };
/** One failed test: where it is and the first lines of its error, each cut to MAX_LINE_CHARS. */
export type Failure = { test: string; why: string[] };

/** A digest line's longest length, characters. */
export const MAX_LINE_CHARS = 240;
/** Lines of the error kept per failure (the rest is in the full log above). */
export const MAX_WHY_LINES = 4;

const sum = (out: string, re: RegExp) => [...out.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
const cut = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line);

/** Node's spec reporter (one summary per run of test:unit, which may run twice) ends with "ℹ pass N" / "ℹ fail N". */
export function nodeCounts(out: string): Counts {
  return { passed: sum(out, /^ℹ pass (\d+)$/gm), failed: sum(out, /^ℹ fail (\d+)$/gm) };
}

/** Playwright's list reporter ends with "  N passed" / "  N failed". */
export function playwrightCounts(out: string): Counts {
  return { passed: Number(/^\s*(\d+) passed/m.exec(out)?.[1] ?? 0), failed: Number(/^\s*(\d+) failed/m.exec(out)?.[1] ?? 0) };
}

/**
 * Node's spec reporter lists its failures again after "✖ failing tests:": a block per test, "test at FILE:LINE:COL",
 * then "✖ NAME (DURATION)", then the error indented. A whole file that failed (its own timeout, a crash) is "✖ FILE
 * (DURATION)" with its reason quoted on the next line.
 */
export function nodeFailures(out: string): Failure[] {
  const failures: Failure[] = [];
  for (const section of out.split(/^✖ failing tests:$/m).slice(1)) {
    let at = "";
    let current: Failure | undefined;
    for (const line of section.split("\n")) {
      if (line.startsWith("test at ")) {
        at = line.slice("test at ".length);
        current = undefined;
      } else if (line.startsWith("✖ ")) {
        const name = line.slice(2).replace(/\s*\([\d.]+ms\)$/, "");
        current = { test: cut(at ? `${at} › ${name}` : name), why: [] };
        failures.push(current);
        at = "";
      } else if (/^\s/.test(line) || !line) {
        const text = line.trim();
        if (current && text && !/^at |^\+ actual - expected$/.test(text) && current.why.length < MAX_WHY_LINES) current.why.push(cut(text));
      } else {
        break; // the section ended: what follows is the runner's next output (test:unit's second group)
      }
    }
  }
  return failures;
}

/**
 * Playwright's list reporter prints each failure as "  N) [PROJECT] › FILE:LINE:COL › TITLE", a blank line, then the
 * error: kept up to its code frame ("  129 |", "> 131 |"), stack ("at …") or attachments. Diff headers ("- Expected",
 * "+ Received", "Array [") carry nothing and are left out; the lines of the diff itself (what was received) stay.
 */
export function playwrightFailures(out: string): Failure[] {
  const failures: Failure[] = [];
  const lines = out.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s+\d+\) (\[.+)$/.exec(lines[i]);
    if (!head) continue;
    const failure: Failure = { test: cut(head[1].trim()), why: [] };
    for (let j = i + 1; j < lines.length && failure.why.length < MAX_WHY_LINES; j++) {
      const text = lines[j].trim();
      if (/^\s+\d+\) \[/.test(lines[j]) || /^(>\s*)?\d+ \||^at |^attachment #|^\d+ (failed|passed|flaky|skipped|did not run)/.test(text)) break;
      if (!text || /^[-+] (Expected|Received)\b|^[-+]?\s*(Array|Object) [[{]$|^[-+]?\s*[\]}],?$|^- Array \[\]$/.test(text)) continue;
      failure.why.push(cut(text));
    }
    failures.push(failure);
  }
  return failures;
}

/** The digest: a line per failed test and its reasons indented below, at most `max` tests (then how many more). */
export function digest(step: string, failures: Failure[], max = 5): string[] {
  const lines = failures.slice(0, max).flatMap((f) => [`  ✖ ${step}: ${f.test}`, ...f.why.map((w) => `      ${w}`)]);
  if (failures.length > max) lines.push(`  … and ${failures.length - max} more failed in ${step} (see above)`);
  return lines;
}
