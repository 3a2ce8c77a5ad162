/**
 * The one constant-time comparison of secrets presented as strings (CSRF tokens, one-time-code
 * digests, OAuth `state`). Both sides are hashed first: the time depends neither on where they
 * differ nor on their lengths, and a value of any length or alphabet is simply unequal.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function sameSecret(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(presented));
}
