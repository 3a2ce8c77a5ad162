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
});
