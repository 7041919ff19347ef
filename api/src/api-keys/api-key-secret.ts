import { API_KEY_PREFIX } from '@vidgen/contracts';
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_BYTES = 32;
/** 62^43 > 2^256: every 32-byte value fits, so every secret has the same length. */
const BODY_LENGTH = 43;
/** The characters after `vg_` kept in the clear, to tell keys apart in a list. */
const VISIBLE_LENGTH = 6;

const SECRET = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH}}$`);

/** A new key's secret: `vg_` and 256 random bits in base62 (letters and digits only, so a double-click selects it whole). */
export function generateSecret(): string {
  let value = BigInt(`0x${randomBytes(RANDOM_BYTES).toString('hex')}`);
  let body = '';
  while (value > 0n) {
    body = BASE62[Number(value % 62n)] + body;
    value /= 62n;
  }
  return API_KEY_PREFIX + body.padStart(BODY_LENGTH, '0');
}

/** True for text shaped like a secret this platform issues; anything else is no key of ours. */
export function isSecretShaped(text: string): boolean {
  return SECRET.test(text);
}

/**
 * What is stored instead of the secret. SHA-256, unsalted and fast, is enough here, unlike for
 * passwords: a secret holds 256 random bits, so no dictionary or brute force can find it from its
 * hash, and a slow salted hash would only cost CPU on every request and rule out finding the key
 * by an indexed lookup of its hash.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The start of the secret shown in lists (`vg_` and six characters): too short to be of use. */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + VISIBLE_LENGTH);
}
