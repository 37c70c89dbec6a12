// Camera credentials at rest: sealed with AES-256-GCM under the key in $DATA_DIR/secrets/credentials-key by the one
// owner of encryption, lib/secrets.ts (sealSecret: "v1.<iv>.<tag>.<ciphertext>"). Decryption fails loudly on any change.
import { openSecret, sealSecret } from "../secrets";

export type CameraCredentials = { username: string; password: string };

export function sealCredentials(credentials: CameraCredentials, key: Buffer): string {
  return sealSecret(JSON.stringify({ u: credentials.username, p: credentials.password }), key);
}

export function openCredentials(sealed: string, key: Buffer): CameraCredentials {
  const parsed = JSON.parse(openSecret(sealed, key)) as { u: string; p: string };
  return { username: parsed.u, password: parsed.p };
}
