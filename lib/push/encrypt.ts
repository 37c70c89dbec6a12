// Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188), node:crypto only: an ephemeral
// P-256 ECDH with the browser's key (p256dh), HKDF-SHA-256 keyed by the browser's auth secret, AES-128-GCM. One
// record, so the whole body is: salt (16) ‖ rs (4, big-endian) ‖ idlen (1) = 65 ‖ our ephemeral public key (65) ‖
// ciphertext of (plaintext ‖ 0x02 ‖ zero padding) ‖ tag (16). Only the browser that holds the subscription's private
// key can read it; the push service sees the length (padded) and nothing else.
import crypto from "node:crypto";

/** The record size announced in the header, bytes; one record only, and push services accept 4096-byte bodies. */
export const PUSH_RECORD_SIZE = 4096;
/** Bytes of the aes128gcm header with a P-256 key id: salt 16 + rs 4 + idlen 1 + key 65. */
export const PUSH_HEADER_BYTES = 86;
const TAG_BYTES = 16;
/** The largest plaintext that fits one 4096-byte body (header, the 0x02 delimiter and the tag deducted), bytes. */
export const MAX_PUSH_PLAINTEXT_BYTES = PUSH_RECORD_SIZE - PUSH_HEADER_BYTES - TAG_BYTES - 1;
/** Plaintexts are padded up to a multiple of this (bytes), so the length the push service sees says little. */
export const PAD_TO_MULTIPLE_BYTES = 128;

export type PushKeys = {
  /** The browser's P-256 public key, uncompressed (65 bytes), base64url. */
  p256dh: string;
  /** The browser's auth secret (16 bytes), base64url. */
  auth: string;
};

/** Fixed inputs for the RFC's test vector; in use, each message gets a fresh salt and a fresh ephemeral key. */
export type EncryptOptions = { salt?: Buffer; senderPrivateKey?: Buffer; padToBytes?: number };

/** The padded length for a plaintext of `n` bytes (plaintext + padding, without the delimiter), bytes. */
export function paddedLength(n: number): number {
  return Math.min(MAX_PUSH_PLAINTEXT_BYTES, Math.ceil(Math.max(n, 1) / PAD_TO_MULTIPLE_BYTES) * PAD_TO_MULTIPLE_BYTES);
}

/** Encrypts one push message body. Throws when `plaintext` is longer than MAX_PUSH_PLAINTEXT_BYTES. */
export function encryptPushMessage(plaintext: Buffer, keys: PushKeys, options: EncryptOptions = {}): Buffer {
  if (plaintext.length > MAX_PUSH_PLAINTEXT_BYTES) throw new Error(`push message too large: ${plaintext.length} > ${MAX_PUSH_PLAINTEXT_BYTES} bytes`);
  const uaPublic = Buffer.from(keys.p256dh, "base64url");
  const authSecret = Buffer.from(keys.auth, "base64url");
  if (uaPublic.length !== 65 || uaPublic[0] !== 0x04) throw new Error("p256dh must be an uncompressed P-256 point (65 bytes)");
  if (authSecret.length !== 16) throw new Error("auth must be 16 bytes");

  const ecdh = crypto.createECDH("prime256v1");
  if (options.senderPrivateKey) ecdh.setPrivateKey(options.senderPrivateKey);
  else ecdh.generateKeys();
  const asPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(uaPublic);
  const salt = options.salt ?? crypto.randomBytes(16);

  // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0x00 ‖ ua_public ‖ as_public, 32).
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hkdf(ecdhSecret, authSecret, keyInfo, 32);
  // RFC 8188 §2.2–2.3: the content encryption key and the nonce (one record: sequence number 0, nonce unchanged).
  const cek = hkdf(ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12);

  const padded = options.padToBytes ?? paddedLength(plaintext.length);
  // The last (only) record: plaintext, the 0x02 delimiter, then zeros (RFC 8188 §2).
  const record = Buffer.alloc(Math.max(padded, plaintext.length) + 1);
  plaintext.copy(record);
  record[plaintext.length] = 0x02;
  const cipher = crypto.createCipheriv("aes-128-gcm", cek, nonce);
  const ciphertext = Buffer.concat([cipher.update(record), cipher.final(), cipher.getAuthTag()]);

  const header = Buffer.alloc(PUSH_HEADER_BYTES);
  salt.copy(header, 0);
  header.writeUInt32BE(PUSH_RECORD_SIZE, 16);
  header[20] = asPublic.length;
  asPublic.copy(header, 21);
  return Buffer.concat([header, ciphertext]);
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", ikm, salt, info, length));
}
