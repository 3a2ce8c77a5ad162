import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import { ConfigError, StoreUnavailable } from '../errors.ts';
import { log } from '../log.ts';
import type { EphemeralStore } from './ephemeral.ts';
import { LIMIT_SCRIPT, ruleArgs } from './limit-step.ts';

type Client = ReturnType<typeof createClient>;

/**
 * The ephemeral store on Redis (>= 7.0 for EXPIRE NX/GT). Every key and channel carries the
 * prefix. Commands issued in the same tick are pipelined by node-redis, and each method is
 * one round trip. While the connection is down, commands fail at once instead of queueing,
 * so requests get an error rather than hang; the client reconnects in the background.
 */
const START_TIMEOUT_MS = 10_000;
const LIMIT_SHA = createHash('sha1').update(LIMIT_SCRIPT).digest('hex');
// the longest a command may wait for its reply before the connection is given up
const SILENCE_MS = 5_000;

/** host and port only: a URL may carry a password */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

export async function createRedisStore(opts: { url: string; prefix?: string; silenceMs?: number }): Promise<EphemeralStore> {
  const prefix = opts.prefix ?? '';
  const silenceMs = opts.silenceMs ?? SILENCE_MS;
  const client: Client = createClient({
    url: opts.url,
    disableOfflineQueue: true,
    // A Redis that stops answering is caught by the watchdog below, not by the client's default
    // per-command timer, which costs an AbortSignal and a timer on every command: about half of
    // the client's CPU per command.
    commandOptions: { timeout: 0 },
    // maintenance notifications are a managed-Redis feature; a plain server has none to send
    maintNotifications: 'disabled',
  });
  // Without a listener, a connection error would be thrown as an unhandled 'error' event.
  client.on('error', (err: unknown) => logError('redis connection error', err));
  // At start-up an unreachable Redis is a configuration problem: say so instead of retrying forever.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ConfigError(`REDIS_URL: no Redis answered at ${redactUrl(opts.url)} within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    await client.disconnect().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }

  // Commands in flight, oldest first. When the oldest has waited silenceMs, Redis has stopped
  // answering: the connection is dropped, which fails every command waiting on it, and opened
  // again. Commands issued meanwhile fail at once instead of hanging.
  const inFlight = new Map<number, number>();
  let nextId = 0;
  const watched = <T>(reply: Promise<T>): Promise<T> => {
    const id = nextId++;
    inFlight.set(id, Date.now());
    return reply.then(
      (value) => {
        inFlight.delete(id);
        return value;
      },
      (err: unknown) => {
        inFlight.delete(id);
        throw redisFailure(err);
      },
    );
  };
  let recovering = false;
  const watchdog = setInterval(
    () => {
      const oldest = inFlight.values().next();
      if (oldest.done || recovering || Date.now() - oldest.value < silenceMs) return;
      recovering = true;
      inFlight.clear();
      log.warn({ store: 'redis', silenceMs }, 'redis stopped answering; reconnecting');
      client.destroy();
      client
        .connect()
        .catch((err: unknown) => logError('redis reconnect failed', err))
        .finally(() => (recovering = false));
    },
    Math.max(50, Math.min(1_000, silenceMs / 4)),
  );
  watchdog.unref();

  // Subscribing puts a connection in a mode where it can run nothing else: use a second one.
  let subscriber: Promise<Client> | undefined;
  function getSubscriber(): Promise<Client> {
    subscriber ??= (async () => {
      const sub = client.duplicate();
      sub.on('error', (err: unknown) => logError('redis subscriber connection error', err));
      await sub.connect();
      return sub;
    })();
    return subscriber;
  }

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
      const [count] = await watched(client.multi().incr(k(key)).expire(k(key), ttlSeconds, 'NX').exec());
      return Number(count);
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
      await watched(client.multi().sAdd(k(key), member).expire(k(key), ttlSeconds, 'NX').expire(k(key), ttlSeconds, 'GT').exec());
    },

    smembers(key) {
      return watched(client.sMembers(k(key)));
    },

    async publish(channel, message) {
      await watched(client.publish(k(channel), message));
    },

    async subscribe(channel, handler) {
      const sub = await getSubscriber();
      const listener = (message: string) => {
        try {
          handler(message);
        } catch (err) {
          log.error({ err }, 'ephemeral subscriber failed');
        }
      };
      await sub.subscribe(k(channel), listener);
      return async () => {
        await sub.unsubscribe(k(channel), listener);
      };
    },

    close() {
      clearInterval(watchdog);
      closing ??= (async () => {
        const sub = subscriber === undefined ? undefined : await subscriber.catch(() => undefined);
        await Promise.all([quit(client), sub === undefined ? undefined : quit(sub)]);
      })();
      return closing;
    },
  };
}

async function quit(client: Client): Promise<void> {
  try {
    await client.close();
  } catch {
    // Not connected (e.g. mid-reconnect): nothing to flush, just drop the socket.
    client.destroy();
  }
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
