/**
 * Failure counters with exponential back-off, shared through the ephemeral store so every
 * instance sees them. Identifiers are keyed-hashed before they become keys (no ID number in
 * Redis). The back-off is capped per scope: a stranger typing wrong passwords for someone
 * else can delay that person by at most `maxSeconds`.
 */
import type { RateKey, RateLimiter } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';

export interface RateScope {
  /** failures allowed within `windowSeconds` before back-off starts */
  threshold: number;
  windowSeconds: number;
  baseSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_SCOPES: Record<string, RateScope> = {
  // per identifier (ID number, phone…): 5 tries, then 30 s, 60 s, … at most 5 minutes
  id: { threshold: 5, windowSeconds: 900, baseSeconds: 30, maxSeconds: 300 },
  // per source address: more room (shared NAT in service halls), longer ceiling
  ip: { threshold: 30, windowSeconds: 900, baseSeconds: 60, maxSeconds: 900 },
  // registrations per source address
  enrol: { threshold: 10, windowSeconds: 3600, baseSeconds: 300, maxSeconds: 3600 },
  // daily caps on messages we pay for and a phone owner has to read: count every send with fail()
  'daily-number': { threshold: 10, windowSeconds: 86400, baseSeconds: 86400, maxSeconds: 86400 },
  'daily-ip': { threshold: 100, windowSeconds: 86400, baseSeconds: 86400, maxSeconds: 86400 },
  // requests we pay an outside authority for, per source address (each eID QR is a platform
  // request): counted with fail() on every request, generous for a service hall behind one NAT
  authority: { threshold: 60, windowSeconds: 600, baseSeconds: 60, maxSeconds: 600 },
  // one key for the whole service: wrong guesses of short codes from everywhere together
  global: { threshold: 300, windowSeconds: 600, baseSeconds: 60, maxSeconds: 600 },
};

export function createRateLimiter(
  store: EphemeralStore,
  hash: (scope: string, id: string) => string,
  overrides: Record<string, RateScope> = {},
): RateLimiter {
  const scopes = { ...DEFAULT_SCOPES, ...overrides };
  const keysOf = (k: RateKey) => {
    const h = hash(k.scope, k.id);
    return { count: `rl:${k.scope}:${h}`, lock: `rl:${k.scope}:${h}:lock` };
  };
  const scopeOf = (k: RateKey): RateScope => {
    const s = scopes[k.scope];
    if (!s) throw new Error(`unknown rate-limit scope ${k.scope}`);
    return s;
  };

  return {
    async check(keys) {
      const locks = keys.map((k) => keysOf(k).lock);
      const values = await store.mget(locks);
      const locked = locks.filter((_, i) => values[i] !== null);
      if (!locked.length) return { ok: true };
      const ttls = await Promise.all(locked.map((l) => store.ttl(l)));
      return { ok: false, retryAfter: Math.max(1, ...ttls) };
    },
    async fail(keys) {
      let backoff = 0;
      await Promise.all(
        keys.map(async (k) => {
          const s = scopeOf(k);
          const { count, lock } = keysOf(k);
          const n = await store.incr(count, s.windowSeconds);
          if (n >= s.threshold) {
            const seconds = Math.min(s.maxSeconds, s.baseSeconds * 2 ** (n - s.threshold));
            await store.set(lock, '1', seconds);
            backoff = Math.max(backoff, seconds);
          }
        }),
      );
      return backoff;
    },
    async reset(keys) {
      await store.del(keys.flatMap((k) => Object.values(keysOf(k))));
    },
  };
}
