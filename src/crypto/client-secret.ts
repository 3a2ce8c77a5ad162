/**
 * Department-app (OIDC client) secrets. They are 256-bit random strings, so guessing is not the
 * threat a slow hash guards against; a keyed HMAC keeps token requests fast while a stolen
 * database alone still reveals nothing usable.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'hmac-sha256$';
const MIN_SECRET_LENGTH = 32;
const KEY_BYTES = 32;
const DIGEST = /^[A-Za-z0-9_-]{43}$/;

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`client secret key must be ${KEY_BYTES} bytes`);
}

function mac(secret: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(secret, 'utf8').digest();
}

export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string, key: Buffer): string {
  checkKey(key);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`client secret must be at least ${MIN_SECRET_LENGTH} characters; use generateClientSecret()`);
  }
  return PREFIX + mac(secret, key).toString('base64url');
}

export function verifyClientSecret(stored: string, presented: string, key: Buffer): boolean {
  if (typeof stored !== 'string' || typeof presented !== 'string') return false;
  if (key.length !== KEY_BYTES) return false;
  if (!stored.startsWith(PREFIX)) return false;
  const encoded = stored.slice(PREFIX.length);
  if (!DIGEST.test(encoded)) return false;
  const expected = Buffer.from(encoded, 'base64url');
  // Both sides are 32-byte MACs, so the comparison leaks nothing about the presented length.
  return timingSafeEqual(expected, mac(presented, key));
}
