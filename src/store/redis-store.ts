import { createClient } from 'redis';
import { ConfigError } from '../errors.ts';
import type { EphemeralStore } from './ephemeral.ts';

type Client = ReturnType<typeof createClient>;

/**
 * The ephemeral store on Redis (>= 7.0 for EXPIRE NX/GT). Every key and channel carries the
 * prefix. Commands issued in the same tick are pipelined by node-redis, and each method is
 * one round trip. While the connection is down, commands fail at once instead of queueing,
 * so requests get an error rather than hang; the client reconnects in the background.
 */
const START_TIMEOUT_MS = 10_000;

/** host and port only: a URL may carry a password */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

export async function createRedisStore(opts: { url: string; prefix?: string }): Promise<EphemeralStore> {
  const prefix = opts.prefix ?? '';
  const client: Client = createClient({ url: opts.url, disableOfflineQueue: true });
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
      return client.get(k(key));
    },

    async mget(keys) {
      if (keys.length === 0) return [];
      return client.mGet(keys.map(k));
    },

    async set(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      await client.set(k(key), value, { expiration: { type: 'EX', value: ttlSeconds } });
    },

    async setIfAbsent(key, value, ttlSeconds) {
      checkTtl(ttlSeconds);
      const reply = await client.set(k(key), value, { expiration: { type: 'EX', value: ttlSeconds }, condition: 'NX' });
      return reply === 'OK';
    },

    consume(key) {
      return client.getDel(k(key));
    },

    async del(keys) {
      if (keys.length === 0) return;
      await client.del(keys.map(k));
    },

    async incr(key, ttlSeconds) {
      checkTtl(ttlSeconds);
      // NX: only a counter without a TTL (just created) gets one; an existing window is not extended.
      const [count] = await client.multi().incr(k(key)).expire(k(key), ttlSeconds, 'NX').exec();
      return Number(count);
    },

    ttl(key) {
      return client.ttl(k(key));
    },

    async sadd(key, member, ttlSeconds) {
      checkTtl(ttlSeconds);
      // NX gives a new set its TTL; GT then raises an existing TTL but never lowers it.
      await client
        .multi()
        .sAdd(k(key), member)
        .expire(k(key), ttlSeconds, 'NX')
        .expire(k(key), ttlSeconds, 'GT')
        .exec();
    },

    smembers(key) {
      return client.sMembers(k(key));
    },

    async publish(channel, message) {
      await client.publish(k(channel), message);
    },

    async subscribe(channel, handler) {
      const sub = await getSubscriber();
      const listener = (message: string) => {
        try {
          handler(message);
        } catch (err) {
          logError('ephemeral subscriber failed', err);
        }
      };
      await sub.subscribe(k(channel), listener);
      return async () => {
        await sub.unsubscribe(k(channel), listener);
      };
    },

    close() {
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

function logError(msg: string, err: unknown): void {
  console.error(JSON.stringify({ level: 'error', msg, error: err instanceof Error ? err.message : String(err) }));
}
