// Structured logging: one JSON line per entry on stderr. Never log secrets or camera credentials.
import { getEnv } from "./env";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

function write(level: Level, scope: string, message: string, fields?: Record<string, unknown>) {
  let min: Level = "info";
  try {
    min = getEnv().LOG_LEVEL;
  } catch {
    /* configuration errors are reported elsewhere */
  }
  if (LEVELS[level] < LEVELS[min]) return;
  const line = { t: new Date().toISOString(), level, scope, msg: message, ...fields };
  process.stderr.write(JSON.stringify(line) + "\n");
}

export function logger(scope: string) {
  return {
    debug: (m: string, f?: Record<string, unknown>) => write("debug", scope, m, f),
    info: (m: string, f?: Record<string, unknown>) => write("info", scope, m, f),
    warn: (m: string, f?: Record<string, unknown>) => write("warn", scope, m, f),
    error: (m: string, f?: Record<string, unknown>) => write("error", scope, m, f),
  };
}
