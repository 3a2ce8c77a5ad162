import type { LimitOp, LimitReply, LimitRule } from './limit-step.ts';

/**
 * Short-lived shared state: oidc-provider artefacts, challenges, rate-limit counters.
 * Two implementations with the same semantics: Redis (REDIS_URL set) and in-process.
 * Every key carries a TTL; TTLs are whole seconds and must be >= 1.
 */
export interface EphemeralStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets only if the key does not exist; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Atomic read-and-delete: of concurrent callers exactly one gets the value. */
  consume(key: string): Promise<string | null>;
  del(keys: string[]): Promise<void>;
  /** Increments a counter; the TTL is set when the counter is created and not extended. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * One step of the rate limit kept at `key`, applied atomically (check and count together,
   * see limit-step.ts); `nowMs` is the caller's clock.
   */
  limit(key: string, rule: LimitRule, op: LimitOp, nowMs: number): Promise<LimitReply>;
  /** Remaining seconds; -2 when the key does not exist, -1 when it has no TTL. */
  ttl(key: string): Promise<number>;
  /** Adds to a set; the set's TTL becomes max(current, ttlSeconds). */
  sadd(key: string, member: string, ttlSeconds: number): Promise<void>;
  smembers(key: string): Promise<string[]>;
  /**
   * Sets `key` (as set) and adds it to the set `index` (as sadd), then reads `check`, a key in
   * the index's slot: the read comes after both writes, so a writer that puts a tombstone at
   * `check` before reading `index` finds `key` there, or this call finds the tombstone. One
   * round trip where one server holds every key; on a Redis Cluster the SET goes first.
   */
  setAndIndex(key: string, value: string, ttlSeconds: number, index: { set: string; check: string }): Promise<string | null>;
  publish(channel: string, message: string): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
