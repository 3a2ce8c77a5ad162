/**
 * Random bytes handed out from a pool that one system call fills 4 KB at a time, instead of a
 * call for every id or IV (getrandom costs a few microseconds on this kind of machine, tens under
 * load). Every byte is handed out once and wiped from the pool as it goes; the bytes come from
 * the same source as randomBytes.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
// larger requests are rare (keys, secrets): they go to the source directly
const MAX_POOLED = 64;

const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

export function pooledRandomBytes(n: number): Buffer {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`random bytes: a whole number >= 1, got ${n}`);
  if (n > MAX_POOLED) return randomBytes(n);
  if (used + n > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + n));
  pool.fill(0, used, used + n);
  used += n;
  return out;
}

/** `n` random bytes as base64url: an id for a cookie or a record */
export const randomId = (n: number): string => pooledRandomBytes(n).toString('base64url');
