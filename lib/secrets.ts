// Secrets generated on first start into $DATA_DIR/secrets (folder 0700, files 0600), unless given by the environment.
// There is never a built-in default. Safe when the web server and a worker start at the same moment: the first
// process to link its file wins and every process reads that one.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "./env";
import { secretFile } from "./data-dir";

export type Secrets = {
  /** Signs session cookies and keys the login-throttle HMAC. */
  sessionSecret: string;
  /** AES-256-GCM key for camera credentials (32 bytes). */
  credentialsKey: Buffer;
};

let cached: Secrets | null = null;


/** Reads the file, or creates it with `make()` atomically (write temp 0600, then link; EEXIST ⇒ someone won). */
export function readOrCreateSecret(file: string, make: () => string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, make() + "\n", { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function getSecrets(): Secrets {
  if (cached) return cached;
  const env = getEnv();
  const sessionSecret =
    env.SESSION_SECRET ?? readOrCreateSecret(secretFile(env.dataDir, "sessionSecret"), () => crypto.randomBytes(48).toString("base64url"));
  const keyText =
    env.CREDENTIALS_KEY ?? readOrCreateSecret(secretFile(env.dataDir, "credentialsKey"), () => crypto.randomBytes(32).toString("base64"));
  const credentialsKey = Buffer.from(keyText, "base64");
  if (credentialsKey.length !== 32) throw new Error("CREDENTIALS_KEY must be 32 bytes, base64-encoded");
  cached = { sessionSecret, credentialsKey };
  return cached;
}

export function resetSecretsForTests(): void {
  cached = null;
}
