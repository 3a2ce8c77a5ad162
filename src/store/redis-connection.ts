/**
 * One connection to Redis in any of its shapes (src/config/redis-url.ts), through node-redis's
 * own clients: createClient for one server, createCluster for a Redis Cluster (it follows slot
 * moves, and splits an MGET or DEL whose keys lie in several slots into one command per slot),
 * createSentinel for a master behind Sentinels (it follows failovers). The store sees only the
 * few commands it uses.
 */
import { createClient, createCluster, createSentinel } from 'redis';
import { log } from '../log.ts';
import type { RedisTarget } from '../config/redis-url.ts';

export interface SetOptions {
  expiration: { type: 'EX'; value: number };
  condition?: 'NX';
}

export interface ScriptRun {
  keys: string[];
  arguments: string[];
}

/** The commands the ephemeral store sends; each is routed to the node that holds its key. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options: SetOptions): Promise<string | null>;
  getDel(key: string): Promise<string | null>;
  del(keys: string[]): Promise<number>;
  ttl(key: string): Promise<number>;
  sMembers(key: string): Promise<string[]>;
  publish(channel: string, message: string): Promise<number>;
  evalSha(sha: string, run: ScriptRun): Promise<unknown>;
  eval(script: string, run: ScriptRun): Promise<unknown>;
  /** INCR, then EXPIRE NX, in one MULTI on the key's node */
  incrWithTtl(key: string, ttlSeconds: number): Promise<number>;
  /** SADD, then EXPIRE NX and EXPIRE GT, in one MULTI on the key's node */
  saddWithTtl(key: string, member: string, ttlSeconds: number): Promise<void>;
  /**
   * SET `key`, SADD `member` to `set` (as saddWithTtl), then GET `check` (in `set`'s slot): one
   * MULTI on one server; on a cluster the SET first, then the rest in one MULTI on the set's node.
   */
  setAndIndex(key: string, value: string, ttlSeconds: number, index: { set: string; member: string; check: string }): Promise<string | null>;
}

export interface RedisConnection {
  readonly commands: RedisCommands;
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  /**
   * Drops the connection and opens it again, failing every command waiting on it: for one
   * server that stopped answering. Absent for a cluster or Sentinel: their clients hold one
   * connection per node, so the store fails each command that waited too long on its own and
   * leaves the connections to the nodes that still answer alone.
   */
  readonly reconnect?: () => Promise<void>;
  connect(): Promise<void>;
  close(): Promise<void>;
  /** drops the sockets without waiting for replies */
  destroy(): void;
}

const warn = (msg: string) => (err: unknown) => log.warn({ store: 'redis', err }, msg);

type Standalone = ReturnType<typeof createClient>;
type Cluster = ReturnType<typeof clusterClient>;
type Sentinel = ReturnType<typeof sentinelClient>;

function clusterClient(target: Extract<RedisTarget, { mode: 'cluster' }>) {
  return createCluster({
    rootNodes: target.nodes.map((n) => ({ socket: { host: n.host, port: n.port, tls: target.tls } })),
    defaults: {
      username: target.username,
      password: target.password,
      socket: { tls: target.tls },
      disableOfflineQueue: true,
    },
    // a silent node is caught by the store's watchdog (node-redis's timer stops once a command is sent)
    commandOptions: { timeout: 0 },
  });
}

function sentinelClient(target: Extract<RedisTarget, { mode: 'sentinel' }>) {
  return createSentinel({
    name: target.masterName,
    sentinelRootNodes: target.sentinels,
    nodeClientOptions: {
      username: target.username,
      password: target.password,
      database: target.database,
      socket: { tls: target.tls },
      disableOfflineQueue: true,
    },
    sentinelClientOptions: { socket: { tls: target.tls } },
    // a silent node is caught by the store's watchdog (node-redis's timer stops once a command is sent)
    commandOptions: { timeout: 0 },
  });
}

/**
 * The three clients take the same arguments for these commands and route each to the node that
 * holds its key; node-redis types them apart only in their generics, so one wrapper serves all.
 */
function commandsOf(c: Standalone | Cluster | Sentinel, oneServer: boolean): RedisCommands {
  const any = c as unknown as Standalone;
  return {
    get: (key) => any.get(key),
    mGet: (keys) => any.mGet(keys),
    set: (key, value, options) => any.set(key, value, options),
    getDel: (key) => any.getDel(key),
    del: (keys) => any.del(keys),
    ttl: (key) => any.ttl(key),
    sMembers: (key) => any.sMembers(key),
    publish: (channel, message) => any.publish(channel, message),
    evalSha: (sha, run) => any.evalSha(sha, run),
    eval: (script, run) => any.eval(script, run),
    async incrWithTtl(key, ttlSeconds) {
      const [count] = await any.multi().incr(key).expire(key, ttlSeconds, 'NX').exec();
      return Number(count);
    },
    async saddWithTtl(key, member, ttlSeconds) {
      await any.multi().sAdd(key, member).expire(key, ttlSeconds, 'NX').expire(key, ttlSeconds, 'GT').exec();
    },
    async setAndIndex(key, value, ttlSeconds, { set, member, check }) {
      const expiration = { type: 'EX', value: ttlSeconds } as const;
      // a cluster's MULTI stays in one slot: the SET is acknowledged before the set is read
      if (!oneServer) await any.set(key, value, { expiration });
      const multi = oneServer ? any.multi().set(key, value, { expiration }) : any.multi();
      const replies = await multi.sAdd(set, member).expire(set, ttlSeconds, 'NX').expire(set, ttlSeconds, 'GT').get(check).exec();
      const checked = replies[replies.length - 1];
      return typeof checked === 'string' ? checked : null;
    },
  };
}

export function redisConnection(target: RedisTarget): RedisConnection {
  if (target.mode === 'cluster') {
    const cluster = clusterClient(target);
    cluster.on('error', warn('redis cluster connection error'));
    return {
      commands: commandsOf(cluster, false),
      async subscribe(channel, listener) {
        const heard = (message: unknown) => listener(String(message));
        await cluster.subscribe(channel, heard);
        return async () => void (await cluster.unsubscribe(channel, heard));
      },
      connect: async () => void (await cluster.connect()),
      close: () => cluster.close(),
      destroy: () => void cluster.destroy(),
    };
  }
  if (target.mode === 'sentinel') {
    const sentinel = sentinelClient(target);
    sentinel.on('error', warn('redis sentinel connection error'));
    return {
      commands: commandsOf(sentinel, true),
      async subscribe(channel, listener) {
        const heard = (message: unknown) => listener(String(message));
        await sentinel.subscribe(channel, heard);
        return async () => void (await sentinel.unsubscribe(channel, heard));
      },
      connect: async () => void (await sentinel.connect()),
      close: () => sentinel.close(),
      destroy: () => void sentinel.destroy(),
    };
  }
  const client: Standalone = createClient({
    url: target.url,
    disableOfflineQueue: true,
    // A Redis that stops answering is caught by the store's watchdog, not by the client's default
    // per-command timer, which costs an AbortSignal and a timer on every command: about half of
    // the client's CPU per command.
    commandOptions: { timeout: 0 },
    // maintenance notifications are a managed-Redis feature; a plain server has none to send
    maintNotifications: 'disabled',
  });
  // Without a listener, a connection error would be thrown as an unhandled 'error' event.
  client.on('error', warn('redis connection error'));
  // Subscribing puts a connection in a mode where it can run nothing else: use a second one.
  let subscriber: Promise<Standalone> | undefined;
  const getSubscriber = () =>
    (subscriber ??= (async () => {
      const sub = client.duplicate();
      sub.on('error', warn('redis subscriber connection error'));
      await sub.connect();
      return sub;
    })());
  return {
    commands: commandsOf(client, true),
    async subscribe(channel, listener) {
      const sub = await getSubscriber();
      await sub.subscribe(channel, listener);
      return async () => void (await sub.unsubscribe(channel, listener));
    },
    async reconnect() {
      client.destroy();
      await client.connect();
    },
    connect: async () => void (await client.connect()),
    async close() {
      const sub = subscriber === undefined ? undefined : await subscriber.catch(() => undefined);
      await Promise.all([quit(client), sub === undefined ? undefined : quit(sub)]);
    },
    destroy: () => client.destroy(),
  };
}

async function quit(client: Standalone): Promise<void> {
  try {
    await client.close();
  } catch {
    // Not connected (e.g. mid-reconnect): nothing to flush, just drop the socket.
    client.destroy();
  }
}
