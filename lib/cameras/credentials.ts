// Camera credentials at rest: AES-256-GCM under the key in $DATA_DIR/secrets/credentials-key. The sealed form is
// "v1.<iv>.<tag>.<ciphertext>" (base64url parts; iv 12 bytes, tag 16 bytes). Decryption fails loudly on any change.
import crypto from "node:crypto";

export type CameraCredentials = { username: string; password: string };

const VERSION = "v1";

export function sealCredentials(credentials: CameraCredentials, key: Buffer): string {
  if (key.length !== 32) throw new Error("credentials key must be 32 bytes");
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const plain = Buffer.from(JSON.stringify({ u: credentials.username, p: credentials.password }), "utf8");
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function openCredentials(sealed: string, key: Buffer): CameraCredentials {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error("unknown credentials format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
  const parsed = JSON.parse(plain.toString("utf8")) as { u: string; p: string };
  return { username: parsed.u, password: parsed.p };
}
