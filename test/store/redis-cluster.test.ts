/**
 * The ephemeral store on a real three-master Redis Cluster started for this file: the whole
 * store contract, plus what only a cluster can get wrong (keys of many slots in one MGET or DEL,
 * the limit script and MULTI on a key of any slot, pub/sub across nodes).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { StoreUnavailable } from '../../src/errors.ts';
import { ownClusterMissing, startOwnRedisCluster } from '../support/own-redis-cluster.ts';
import type { Backend } from '../support/backends.ts';
import { ephemeralContract } from './ephemeral-contract.ts';

const cluster = ownClusterMissing ? undefined : await startOwnRedisCluster();
after(() => cluster?.close());

const opened: EphemeralStore[] = [];
const clusterBackend: Backend<EphemeralStore> = {
  name: 'redis cluster (3 masters)',
  async open() {
    const store = await createRedisStore({ url: cluster!.url, prefix: `t:${randomBytes(6).toString('hex')}:` });
    opened.push(store);
    return store;
  },
  async dispose() {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  },
};

if (cluster) ephemeralContract(clusterBackend);

describe('EphemeralStore on a Redis Cluster: keys in many slots', { skip: ownClusterMissing }, () => {
  it('reads and deletes keys of every master in one MGET and one DEL', async () => {
    const prefix = `t:${randomBytes(6).toString('hex')}:`;
    const store = await createRedisStore({ url: cluster!.url, prefix });
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `spread:${i}`);
      await Promise.all(keys.map((k, i) => store.set(k, String(i), 60)));
      const byNode = await cluster!.keysByNode(`${prefix}spread:*`);
      // forty keys over three masters' slots: checked, not hoped
      assert.deepEqual([...byNode.values()].map((held) => held.length > 0), [true, true, true], 'every master holds some of the keys');
      const values = await store.mget([...keys, 'spread:missing']);
      assert.deepEqual(values, [...keys.map((_, i) => String(i)), null]);
      await store.del(keys);
      assert.deepEqual(await store.mget(keys), keys.map(() => null));
    } finally {
      await store.close();
    }
  });

  it('keeps a rate limit and a counter atomic on keys of any slot under simultaneous calls', async () => {
    const store = await createRedisStore({ url: cluster!.url, prefix: `t:${randomBytes(6).toString('hex')}:` });
    try {
      const rule = { threshold: 5, windowMs: 60_000, baseMs: 30_000, maxMs: 60_000, escalate: false, budgetMs: 0, onSuccess: 'clear' as const };
      for (const id of ['a', 'b', 'c', 'd']) {
        const replies = await Promise.all(Array.from({ length: 30 }, () => store.limit(`rl:{${id}}`, rule, 'reserve', Date.now())));
        assert.equal(replies.filter((r) => r.ok).length, 5, `limit ${id}: exactly the threshold passes`);
        const counts = await Promise.all(Array.from({ length: 25 }, () => store.incr(`n:${id}`, 60)));
        assert.deepEqual([...counts].sort((x, y) => x - y), Array.from({ length: 25 }, (_, i) => i + 1));
      }
    } finally {
      await store.close();
    }
  });

  it('gives exactly one of many simultaneous consumers the value', async () => {
    const store = await createRedisStore({ url: cluster!.url, prefix: `t:${randomBytes(6).toString('hex')}:` });
    try {
      await store.set('once', 'v', 60);
      const got = await Promise.all(Array.from({ length: 30 }, () => store.consume('once')));
      assert.deepEqual(got.filter((v) => v !== null), ['v']);
    } finally {
      await store.close();
    }
  });

  it('fails a command to a master that stopped answering within the command timeout, serves the other masters meanwhile, and recovers', async () => {
    const prefix = `t:${randomBytes(6).toString('hex')}:`;
    const store = await createRedisStore({ url: cluster!.url, prefix, silenceMs: 1000 });
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `frozen:${i}`);
      await Promise.all(keys.map((k) => store.set(k, k, 120)));
      const byNode = [...(await cluster!.keysByNode(`${prefix}frozen:*`))].filter(([, held]) => held.length > 0);
      assert.ok(byNode.length >= 2, 'the keys lie on at least two masters');
      const [[frozenPort, frozenKeys], [, liveKeys]] = byNode as [[number, string[]], [number, string[]]];
      const onFrozen = frozenKeys[0]!.slice(prefix.length);
      const onLive = liveKeys[0]!.slice(prefix.length);
      cluster!.freeze(frozenPort);
      try {
        const stuck = store.get(onFrozen).then(
          () => 'answered',
          (err: unknown) => err,
        );
        assert.equal(await store.get(onLive), onLive, 'another master still answers');
        assert.ok((await stuck) instanceof StoreUnavailable, 'the silent master’s command fails as an outage');
      } finally {
        cluster!.thaw(frozenPort);
      }
      let value: string | null | undefined;
      for (let i = 0; i < 100 && value === undefined; i++) {
        value = await store.get(onFrozen).catch(() => undefined);
        if (value === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(value, onFrozen, 'the thawed master answers again without a restart');
    } finally {
      await store.close();
    }
  });
});
