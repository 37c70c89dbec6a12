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
  /** AES-256-GCM key for secrets at rest: camera credentials, webhook signing secrets (32 bytes; sealSecret). */
  credentialsKey: Buffer;
  /** Web Push VAPID private key, the P-256 scalar as 32 bytes base64url (lib/push/vapid.ts derives the public key). */
  vapidPrivateKey: string;
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
  cached = { sessionSecret, credentialsKey, vapidPrivateKey: readOrCreateVapidKey(env.dataDir) };
  return cached;
}

/**
 * The Web Push VAPID private key (RFC 8292): VAPID_PRIVATE_KEY, else $DATA_DIR/secrets/<vapidPrivateKey>, created on
 * first start. The P-256 scalar d as 32 bytes base64url (the JWK "d", web-push's format). Takes the data folder
 * because lib/push is handed it (the notifier's deps) rather than reading the environment's.
 */
export function readOrCreateVapidKey(dataDir: string): string {
  const text = getEnv().VAPID_PRIVATE_KEY ?? readOrCreateSecret(secretFile(dataDir, "vapidPrivateKey"), newVapidPrivateKey);
  if (!/^[A-Za-z0-9_-]{43}$/.test(text) || Buffer.from(text, "base64url").length !== 32) throw new Error("VAPID_PRIVATE_KEY must be a P-256 private key: 32 bytes, base64url");
  return text;
}

function newVapidPrivateKey(): string {
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return privateKey.export({ format: "jwk" }).d!;
}

export function resetSecretsForTests(): void {
  cached = null;
}

/** The sealed form's version prefix. */
const SEALED_VERSION = "v1";

/**
 * Encrypts a small secret at rest (camera credentials, webhook signing secrets) with AES-256-GCM under a 32-byte key
 * (the credentials key). The sealed form is "v1.<iv>.<tag>.<ciphertext>" (base64url parts; iv 12 bytes, tag 16
 * bytes); a fresh iv each time, so sealing the same text twice gives different strings.
 */
export function sealSecret(plain: string, key: Buffer): string {
  if (key.length !== 32) throw new Error("credentials key must be 32 bytes");
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(plain, "utf8")), cipher.final()]);
  return [SEALED_VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** Decrypts what sealSecret made; throws on any change to it, another key or an unknown format. */
export function openSecret(sealed: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== SEALED_VERSION || !iv || !tag || !ciphertext) throw new Error("unknown sealed format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
