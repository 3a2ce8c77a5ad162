/**
 * The synthetic city: person `i` (0 ≤ i < 20,000,000 per region code) has a valid resident ID
 * number computed from `i` alone, so the seeder and the load generator agree without storing a
 * list: birth dates run over 20,000 days from 1940, the sequence number counts the laps.
 */
import { makeIdNumber } from '../../src/crypto/id-number.ts';

const DAYS = 20_000;
const PER_REGION = DAYS * 1000;
// Shanghai districts: enough for 25 million
const REGIONS = ['310101', '310104', '310105'];
const FIRST_DAY = Date.UTC(1940, 0, 1);

export function idNumberAt(i: number): string {
  const region = REGIONS[Math.floor(i / PER_REGION)];
  if (region === undefined || i < 0) throw new RangeError(`no synthetic person ${i}`);
  const local = i % PER_REGION;
  const day = new Date(FIRST_DAY + (local % DAYS) * 86_400_000).toISOString().slice(0, 10);
  return makeIdNumber(region, day, Math.floor(local / DAYS));
}

export const nameAt = (i: number): string => `测试${i}`;

/**
 * The n-th login's person among `count`, spread over all of them: a stride prime to `count`
 * visits every person once before any repeats, and neighbours in time are far apart in the
 * table (so the cache is not helped by order).
 */
export function personFor(n: number, count: number): number {
  let stride = Math.floor(count * 0.618_033_988_7) | 1;
  while (gcd(stride, count) !== 1) stride += 2;
  return Number((BigInt(n) * BigInt(stride)) % BigInt(count));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
