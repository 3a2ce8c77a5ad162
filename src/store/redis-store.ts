import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';
import { ConfigError, StoreUnavailable } from '../errors.ts';
import { log } from '../log.ts';
import type { EphemeralStore } from './ephemeral.ts';
import { LIMIT_SCRIPT, ruleArgs } from './limit-step.ts';
import { redisConnection } from './redis-connection.ts';
import { describeRedisTarget, parseRedisUrl } from '../config/redis-url.ts';

/**
 * The ephemeral store on Redis (>= 7.0 for EXPIRE NX/GT): one server, a Redis Cluster or a
 * master behind Sentinels (src/config/redis-url.ts). Every key and channel carries the prefix.
 * Commands issued in the same tick are pipelined by node-redis, and each method is one round
 * trip (on a cluster, an MGET or DEL over several slots is one command per slot, sent at once). A MULTI
 * or the limit script touches one key, so it runs whole on that key's node. While the
 * connection is down, commands fail at once instead of queueing, so requests get an error
 * rather than hang; the client reconnects in the background.
 */
const START_TIMEOUT_MS = 10_000;
const LIMIT_SHA = createHash('sha1').update(LIMIT_SCRIPT).digest('hex');
// the longest a command may wait for its reply before the connection is given up
const SILENCE_MS = 5_000;

export async function createRedisStore(opts: { url: string; prefix?: string; silenceMs?: number }): Promise<EphemeralStore> {
  const prefix = opts.prefix ?? '';
  const silenceMs = opts.silenceMs ?? SILENCE_MS;
  const target = parseRedisUrl(opts.url);
  if ('error' in target) throw new ConfigError(`REDIS_URL: ${target.error}`);
  const connection = redisConnection(target);
  const client = connection.commands;
  // At start-up an unreachable Redis is a configuration problem: say so instead of retrying forever.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connection.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ConfigError(`REDIS_URL: no Redis answered at ${describeRedisTarget(target)} within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    connection.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  // Commands in flight, oldest first. When the oldest has waited silenceMs, Redis has stopped
  // answering: the connection is dropped, which fails every command waiting on it, and opened
  // again. Commands issued meanwhile fail at once instead of hanging. On a cluster or Sentinel,
  // only the commands that waited too long fail (one node's silence is not the others').
  const inFlight = new Map<number, { at: number; fail: (err: unknown) => void }>();
  let nextId = 0;
  const watched = <T>(reply: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      inFlight.set(id, { at: Date.now(), fail: reject });
      reply.then(
        (value) => {
          inFlight.delete(id);
          resolve(value);
        },
        (err: unknown) => {
          inFlight.delete(id);
          reject(redisFailure(err));
        },
      );
    });
  let recovering = false;
  const reconnect = connection.reconnect;
  const watchdog = setInterval(
    () => {
      const now = Date.now();
      const oldest = inFlight.values().next();
      if (oldest.done || recovering || now - oldest.value.at < silenceMs) return;
      if (!reconnect) {
        // oldest first (a Map keeps insertion order); a late reply finds its promise settled
        for (const [id, command] of inFlight) {
          if (now - command.at < silenceMs) break;
          inFlight.delete(id);
          command.fail(new StoreUnavailable('redis', new Error(`no reply within ${silenceMs} ms`)));
        }
        return;
      }
      inFlight.clear();
      recovering = true;
      log.warn({ store: 'redis', silenceMs }, 'redis stopped answering; reconnecting');
      reconnect()
        .catch((err: unknown) => logError('redis reconnect failed', err))
        .finally(() => (recovering = false));
    },
    Math.max(50, Math.min(1_000, silenceMs / 4)),
  );
  watchdog.unref();

  let closing: Promise<void> | undefined;
  const k = (key: string) => prefix + key;

  return {
    kind: 'redis',

    get(key) {
      return watched(client.get(k(key)));
    },

    async mget(keys) {
      if (keys.length === 0) return [];
      return watched(client.mGet(keys.map(k)));
    },

    async set(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      await watched(client.set(k(key), value, { expiration: { type: 'EX', value: ttlSeconds } }));
    },

    async setIfAbsent(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      const reply = await watched(client.set(k(key), value, { expiration: { type: 'EX', value: ttlSeconds }, condition: 'NX' }));
      return reply === 'OK';
    },

    consume(key) {
      return watched(client.getDel(k(key)));
    },

    async del(keys) {
      if (keys.length === 0) return;
      await watched(client.del(keys.map(k)));
    },

    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      // NX: only a counter without a TTL (just created) gets one; an existing window is not extended.
      return watched(client.incrWithTtl(k(key), ttlSeconds));
    },

    async limit(key, rule, op, nowMs) {
      const run = { keys: [k(key)], arguments: ruleArgs(rule, op, nowMs) };
      let reply: unknown;
      try {
        reply = await watched(client.evalSha(LIMIT_SHA, run));
      } catch (err) {
        // a Redis that restarted (or never saw it) has no cached script: send it once in full
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        reply = await watched(client.eval(LIMIT_SCRIPT, run));
      }
      const [ok, ms, count] = reply as [number, number, number];
      return { ok: ok === 1, ms: Number(ms), count: Number(count) };
    },

    ttl(key) {
      return watched(client.ttl(k(key)));
    },

    async sadd(key, member, ttlSeconds) {
      checkTtl(ttlSeconds);
      // NX gives a new set its TTL; GT then raises an existing TTL but never lowers it.
      await watched(client.saddWithTtl(k(key), member, ttlSeconds));
    },

    smembers(key) {
      return watched(client.sMembers(k(key)));
    },

    setAndIndex(key, value, ttlSeconds, index) {
      checkTtl(ttlSeconds);
      return watched(client.setAndIndex(k(key), value, ttlSeconds, { set: k(index.set), member: key, check: k(index.check) }));
    },

    async publish(channel, message) {
      await watched(client.publish(k(channel), message));
    },

    async subscribe(channel, handler) {
      const listener = (message: string) => {
        try {
          handler(message);
        } catch (err) {
          log.error({ err }, 'ephemeral subscriber failed');
        }
      };
      return connection.subscribe(k(channel), listener);
    },

    close() {
      clearInterval(watchdog);
      closing ??= connection.close().catch(() => connection.destroy());
      return closing;
    },
  };
}

function checkTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError(`TTL must be a whole number of seconds >= 1, got ${ttlSeconds}`);
}

// replies that say the server cannot serve now, not that the command was wrong
const NOT_NOW = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOREPLICAS|OOM)\b/;

/** A reply error (WRONGTYPE, NOSCRIPT…) stays as it is; a lost, closed or silent connection is an outage. */
function redisFailure(err: unknown): unknown {
  if (err instanceof ErrorReply && !NOT_NOW.test(err.message)) return err;
  return new StoreUnavailable('redis', err);
}

function logError(msg: string, err: unknown): void {
  log.warn({ store: 'redis', err }, msg);
}
