import type { EphemeralStore } from './ephemeral.ts';
import { recordTtlMs, stepLimit, type LimitRecord } from './limit-step.ts';
import { log } from '../log.ts';

type Entry =
  | { kind: 'string'; value: string; expiresAt: number }
  | { kind: 'limit'; record: LimitRecord; expiresAt: number }
  | { kind: 'set'; members: Set<string>; expiresAt: number };

const SWEEP_INTERVAL_MS = 10_000;

/**
 * The in-process ephemeral store, with Redis semantics, for single-process (embedded) mode.
 * Expired keys are removed when read and by a periodic sweep, so memory stays bounded by
 * what is live. Each store has its own keyspace; the prefix is kept for parity with Redis.
 */
export function createMemoryStore(opts: { prefix?: string } = {}): EphemeralStore {
  const prefix = opts.prefix ?? '';
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<(message: string) => void>>();

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key);
    }
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  function live(key: string): Entry | undefined {
    const entry = entries.get(prefix + key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(prefix + key);
      return undefined;
    }
    return entry;
  }

  function readString(key: string): string | null {
    const entry = live(key);
    if (entry === undefined) return null;
    if (entry.kind !== 'string') throw wrongType();
    return entry.value;
  }

  return {
    kind: 'memory',

    async get(key) {
      return readString(key);
    },

    async mget(keys) {
      // Redis MGET answers nil (not an error) for keys holding another type.
      return keys.map((key) => {
        const entry = live(key);
        return entry?.kind === 'string' ? entry.value : null;
      });
    },

    async set(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      entries.set(prefix + key, { kind: 'string', value, expiresAt: Date.now() + ttlSeconds * 1000 });
    },

    async setIfAbsent(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      if (live(key) !== undefined) return false;
      entries.set(prefix + key, { kind: 'string', value, expiresAt: Date.now() + ttlSeconds * 1000 });
      return true;
    },

    async consume(key) {
      const value = readString(key);
      if (value !== null) entries.delete(prefix + key);
      return value;
    },

    async del(keys) {
      for (const key of keys) entries.delete(prefix + key);
    },

    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      const entry = live(key);
      if (entry === undefined) {
        entries.set(prefix + key, { kind: 'string', value: '1', expiresAt: Date.now() + ttlSeconds * 1000 });
        return 1;
      }
      if (entry.kind !== 'string') throw wrongType();
      if (!/^-?\d+$/.test(entry.value)) throw new Error('ERR value is not an integer or out of range');
      const next = Number(entry.value) + 1;
      entry.value = String(next);
      return next;
    },

    async limit(key, rule, op, nowMs) {
      // synchronous from read to write: no other caller runs in between, as in a Redis script
      const entry = live(key);
      if (entry !== undefined && entry.kind !== 'limit') throw wrongType();
      const { next, reply } = stepLimit(entry?.record ?? null, rule, op, nowMs);
      if (next === null) entries.delete(prefix + key);
      else entries.set(prefix + key, { kind: 'limit', record: next, expiresAt: Date.now() + recordTtlMs(next, nowMs) });
      return reply;
    },

    async ttl(key) {
      const entry = live(key);
      if (entry === undefined) return -2;
      // Redis rounds the remaining milliseconds to the nearest second.
      return Math.round((entry.expiresAt - Date.now()) / 1000);
    },

    async sadd(key, member, ttlSeconds) {
      checkTtl(ttlSeconds);
      const expiresAt = Date.now() + ttlSeconds * 1000;
      const entry = live(key);
      if (entry === undefined) {
        entries.set(prefix + key, { kind: 'set', members: new Set([member]), expiresAt });
        return;
      }
      if (entry.kind !== 'set') throw wrongType();
      entry.members.add(member);
      entry.expiresAt = Math.max(entry.expiresAt, expiresAt);
    },

    async setAndIndex(key, value, ttlSeconds, index) {
      // synchronous throughout: nothing runs between the writes and the read
      await Promise.all([this.set(key, value, ttlSeconds), this.sadd(index.set, key, ttlSeconds)]);
      return readString(index.check);
    },

    async smembers(key) {
      const entry = live(key);
      if (entry === undefined) return [];
      if (entry.kind !== 'set') throw wrongType();
      return [...entry.members];
    },

    async publish(channel, message) {
      const handlers = channels.get(prefix + channel);
      if (handlers === undefined) return;
      // Delivered later, never inside publish(), as with Redis.
      for (const handler of [...handlers]) setImmediate(() => deliver(handler, message));
    },

    async subscribe(channel, handler) {
      const name = prefix + channel;
      // A wrapper per subscription, so subscribing the same function twice unsubscribes separately.
      const subscription = (message: string) => handler(message);
      let handlers = channels.get(name);
      if (handlers === undefined) {
        handlers = new Set();
        channels.set(name, handlers);
      }
      handlers.add(subscription);
      return async () => {
        const current = channels.get(name);
        if (current === undefined) return;
        current.delete(subscription);
        if (current.size === 0) channels.delete(name);
      };
    },

    async close() {
      clearInterval(sweep);
      entries.clear();
      channels.clear();
    },
  };
}

function deliver(handler: (message: string) => void, message: string): void {
  try {
    handler(message);
  } catch (err) {
    log.error({ err }, 'ephemeral subscriber failed');
  }
}

function checkTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`TTL must be a whole number of seconds >= 1, got ${ttlSeconds}`);
}

function wrongType(): Error {
  return new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
}
