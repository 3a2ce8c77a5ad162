/**
 * The ephemeral store's contract: the same cases against every backend (the in-process store,
 * Redis, a Redis Cluster). ephemeral.contract.test.ts and redis-cluster.test.ts run it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';
import type { LimitRule } from '../../src/store/limit-step.ts';
import type { Backend } from '../support/backends.ts';

/** Resolves with the next message the handler receives, or null after timeoutMs. */
function nextMessage(timeoutMs: number): { handler: (m: string) => void; received: Promise<string | null> } {
  let resolve!: (m: string | null) => void;
  const received = new Promise<string | null>((r) => (resolve = r));
  const timer = setTimeout(() => resolve(null), timeoutMs);
  return {
    handler: (m) => {
      clearTimeout(timer);
      resolve(m);
    },
    received,
  };
}

export function ephemeralContract(backend: Backend<EphemeralStore>): void {
  describe(`EphemeralStore contract: ${backend.name}`, () => {
    let store: EphemeralStore;

    before(async () => {
      store = await backend.open();
    });

    after(() => backend.dispose());

    it('sets and gets a value', async () => {
      assert.equal(await store.get('missing'), null);
      await store.set('greeting', 'hello', 60);
      assert.equal(await store.get('greeting'), 'hello');
      await store.set('greeting', 'again', 60);
      assert.equal(await store.get('greeting'), 'again');
    });

    it('rejects TTLs that are not whole seconds >= 1', async () => {
      await assert.rejects(store.set('bad-ttl', 'x', 0), RangeError);
      await assert.rejects(store.incr('bad-ttl', 1.5), RangeError);
      assert.equal(await store.get('bad-ttl'), null);
    });

    it('expires keys after their TTL, keeps a counter window fixed and a set TTL at the maximum', async () => {
      await store.set('exp:value', 'v', 1);
      assert.equal(await store.incr('exp:counter', 1), 1);
      await store.sadd('exp:set', 'a', 1);
      await store.sadd('exp:raised', 'a', 1);
      await store.sadd('exp:kept', 'a', 30);
      await store.sadd('exp:kept', 'b', 1);

      await sleep(500);
      // A second hit inside the window must not push the window's end out.
      assert.equal(await store.incr('exp:counter', 1), 2);
      await store.sadd('exp:raised', 'b', 30);

      await sleep(700);
      assert.equal(await store.get('exp:value'), null);
      assert.equal(await store.ttl('exp:value'), -2);
      assert.equal(await store.get('exp:counter'), null);
      assert.equal(await store.incr('exp:counter', 1), 1);
      assert.deepEqual(await store.smembers('exp:set'), []);
      assert.deepEqual((await store.smembers('exp:raised')).sort(), ['a', 'b']);
      assert.deepEqual((await store.smembers('exp:kept')).sort(), ['a', 'b']);
      assert.ok((await store.ttl('exp:kept')) >= 28);
    });

    it('reports -2 for a missing key and the remaining seconds otherwise', async () => {
      assert.equal(await store.ttl('ttl:none'), -2);
      await store.set('ttl:some', 'x', 100);
      const ttl = await store.ttl('ttl:some');
      assert.ok(ttl >= 99 && ttl <= 100, `ttl was ${ttl}`);
      // -1 (no TTL) cannot be produced through this interface: every write sets one.
    });

    it('sets only when absent', async () => {
      assert.equal(await store.setIfAbsent('once', 'first', 60), true);
      assert.equal(await store.setIfAbsent('once', 'second', 60), false);
      assert.equal(await store.get('once'), 'first');
      const ttl = await store.ttl('once');
      assert.ok(ttl > 0 && ttl <= 60);
      await store.del(['once']);
      assert.equal(await store.setIfAbsent('once', 'third', 60), true);
    });

    it('gives a consumed value to exactly one of many concurrent callers', async () => {
      await store.set('code', 'secret', 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume('code')));
      assert.deepEqual(
        results.filter((r) => r !== null),
        ['secret'],
      );
      assert.equal(await store.get('code'), null);
      assert.equal(await store.consume('code'), null);
    });

    it('increments a counter and keeps the TTL it was created with', async () => {
      assert.equal(await store.incr('counter', 50), 1);
      assert.equal(await store.incr('counter', 500), 2);
      assert.equal(await store.incr('counter', 500), 3);
      assert.equal(await store.get('counter'), '3');
      const ttl = await store.ttl('counter');
      assert.ok(ttl > 0 && ttl <= 50, `ttl was ${ttl}`);
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => store.incr('counter:many', 60)));
      assert.deepEqual(concurrent.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('adds to a set without duplicates and raises but never lowers its TTL', async () => {
      assert.deepEqual(await store.smembers('set:none'), []);
      await store.sadd('set', 'a', 10);
      await store.sadd('set', 'b', 100);
      await store.sadd('set', 'a', 5);
      assert.deepEqual((await store.smembers('set')).sort(), ['a', 'b']);
      const ttl = await store.ttl('set');
      assert.ok(ttl >= 99 && ttl <= 100, `ttl was ${ttl}`);
    });

    it('sets a key and indexes it, then reads the check key after both writes', async () => {
      const index = { set: 'idx:{g1}', check: 'gone:{g1}' };
      assert.equal(await store.setAndIndex('tok:a', 'A', 60, index), null);
      await store.setAndIndex('tok:b', 'B', 300, index);
      assert.deepEqual(await store.mget(['tok:a', 'tok:b']), ['A', 'B']);
      const ttl = await store.ttl('tok:a');
      assert.ok(ttl >= 59 && ttl <= 60, `key ttl was ${ttl}`);
      assert.deepEqual((await store.smembers(index.set)).sort(), ['tok:a', 'tok:b']);
      const setTtl = await store.ttl(index.set);
      assert.ok(setTtl >= 299 && setTtl <= 300, `set ttl was ${setTtl}`);
      await store.set(index.check, 'revoked', 60);
      assert.equal(await store.setAndIndex('tok:c', 'C', 60, index), 'revoked');
      assert.equal(await store.get('tok:c'), 'C', 'the caller decides what a tombstone means');
    });

    it('leaves no indexed key behind a tombstone written among simultaneous writers', async () => {
      for (let round = 0; round < 5; round++) {
        const index = { set: `idx:{race${round}}`, check: `gone:{race${round}}` };
        const keys = Array.from({ length: 30 }, (_, i) => `race:${round}:${i}`);
        // a writer deletes its own key when it finds the tombstone; the revoker deletes what the index holds
        const write = (key: string) => store.setAndIndex(key, 'v', 60, index).then(async (gone) => (gone ? store.del([key]) : undefined));
        const half = round * 6;
        // writers before the tombstone, between the tombstone and the revoker's read of the index, and after it
        const early = keys.slice(0, half).map(write);
        await store.set(index.check, '1', 60);
        const swept = store.smembers(index.set).then((held) => store.del(held));
        const late = keys.slice(half).map(write);
        await Promise.all([...early, swept, ...late]);
        assert.deepEqual(await store.mget(keys), keys.map(() => null), `round ${round}: a key outlived the revocation`);
      }
    });

    it('deletes several keys at once', async () => {
      await store.set('del:a', '1', 60);
      await store.set('del:b', '2', 60);
      await store.sadd('del:c', 'x', 60);
      await store.del(['del:a', 'del:c', 'del:missing']);
      await store.del([]);
      assert.equal(await store.get('del:a'), null);
      assert.equal(await store.get('del:b'), '2');
      assert.deepEqual(await store.smembers('del:c'), []);
    });

    it('reads several keys at once, null for the missing ones', async () => {
      await store.set('mget:a', '1', 60);
      await store.set('mget:c', '3', 60);
      assert.deepEqual(await store.mget(['mget:a', 'mget:b', 'mget:c']), ['1', null, '3']);
      assert.deepEqual(await store.mget([]), []);
    });

    it('delivers published messages to every subscriber until it unsubscribes', async () => {
      const heardByFirst: string[] = [];
      const unsubscribeFirst = await store.subscribe('news', (m) => heardByFirst.push(m));
      const second = nextMessage(2000);
      const unsubscribeSecond = await store.subscribe('news', second.handler);
      await store.publish('news', 'hello');
      assert.equal(await second.received, 'hello');
      await sleep(20);
      assert.deepEqual(heardByFirst, ['hello']);

      await unsubscribeFirst();
      const third = nextMessage(2000);
      const unsubscribeThird = await store.subscribe('news', third.handler);
      await store.publish('news', 'again');
      // Messages arrive in order, so once the third has it the first would have had it too.
      assert.equal(await third.received, 'again');
      await sleep(20);
      assert.deepEqual(heardByFirst, ['hello']);
      await unsubscribeSecond();
      await unsubscribeThird();
    });

    describe('rate limit step (check and count in one operation)', () => {
      const rule = (over: Partial<LimitRule> = {}): LimitRule => ({
        threshold: 3,
        windowMs: 60_000,
        baseMs: 10_000,
        maxMs: 40_000,
        escalate: true,
        budgetMs: 0,
        onSuccess: 'clear',
        ...over,
      });
      const T0 = 1_900_000_000_000;

      it('admits exactly the threshold of 40 simultaneous reservations', async () => {
        const replies = await Promise.all(Array.from({ length: 40 }, () => store.limit('rl:{race}', rule(), 'reserve', T0)));
        assert.equal(replies.filter((r) => r.ok).length, 3);
        assert.ok(replies.filter((r) => !r.ok).every((r) => r.ms >= 1000));
      });

      it('turns a failure at the threshold into a back-off that doubles, and allows one try after each', async () => {
        const r = rule();
        for (let i = 1; i <= 2; i++) {
          assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0)).ok, true);
          assert.deepEqual(await store.limit('rl:{esc}', r, 'fail', T0), { ok: false, ms: 0, count: i });
        }
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0)).ok, true);
        assert.deepEqual(await store.limit('rl:{esc}', r, 'fail', T0), { ok: true, ms: 10_000, count: 2 });
        assert.deepEqual(await store.limit('rl:{esc}', r, 'reserve', T0 + 9_000), { ok: false, ms: 1_000, count: 2 });
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0 + 10_000)).ok, true);
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0 + 10_000)).ok, false);
        assert.deepEqual(await store.limit('rl:{esc}', r, 'fail', T0 + 10_000), { ok: true, ms: 20_000, count: 2 });
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0 + 30_000)).ok, true);
        assert.equal((await store.limit('rl:{esc}', r, 'fail', T0 + 30_000)).ms, 40_000);
        // a success clears everything, and says it ended a lock
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0 + 70_000)).ok, true);
        assert.deepEqual(await store.limit('rl:{esc}', r, 'succeed', T0 + 70_000), { ok: true, ms: 0, count: 0 });
        assert.equal((await store.limit('rl:{esc}', r, 'reserve', T0 + 70_000)).count, 1);
      });

      it('stops locking once the day\'s budget is spent, and keeps it spent after a success', async () => {
        const r = rule({ escalate: false, budgetMs: 15_000 });
        const burst = async (t: number) => {
          for (let i = 0; i < 2; i++) {
            assert.equal((await store.limit('rl:{budget}', r, 'reserve', t)).ok, true);
            await store.limit('rl:{budget}', r, 'fail', t);
          }
          assert.equal((await store.limit('rl:{budget}', r, 'reserve', t)).ok, true);
          return store.limit('rl:{budget}', r, 'fail', t);
        };
        assert.equal((await burst(T0)).ms, 10_000);
        assert.equal((await burst(T0 + 10_000)).ms, 5_000);
        assert.equal((await store.limit('rl:{budget}', r, 'reserve', T0 + 15_000)).ok, true);
        assert.equal((await store.limit('rl:{budget}', r, 'succeed', T0 + 15_000)).ok, true);
        assert.deepEqual(await burst(T0 + 16_000), { ok: false, ms: 0, count: 0 });
      });

      it('gives back released and refunded attempts, and keeps those of a keep rule', async () => {
        const refund = rule({ onSuccess: 'refund' });
        assert.equal((await store.limit('rl:{refund}', refund, 'reserve', T0)).count, 1);
        assert.equal((await store.limit('rl:{refund}', refund, 'reserve', T0)).count, 2);
        assert.equal((await store.limit('rl:{refund}', refund, 'release', T0)).count, 1);
        assert.equal((await store.limit('rl:{refund}', refund, 'succeed', T0)).count, 0);
        const keep = rule({ onSuccess: 'keep' });
        await store.limit('rl:{keep}', keep, 'reserve', T0);
        assert.equal((await store.limit('rl:{keep}', keep, 'succeed', T0)).count, 1);
        // only a rule that clears on success reports a success as the end of a lock
        const capped = rule({ threshold: 1, onSuccess: 'refund' });
        await store.limit('rl:{capped}', capped, 'reserve', T0);
        assert.equal((await store.limit('rl:{capped}', capped, 'fail', T0)).ok, true);
        assert.equal((await store.limit('rl:{capped}', capped, 'reserve', T0 + 10_000)).ok, true);
        assert.equal((await store.limit('rl:{capped}', capped, 'succeed', T0 + 10_000)).ok, false);
      });

      it('starts a new window after the old one ends', async () => {
        const r = rule({ windowMs: 5_000 });
        for (let i = 0; i < 3; i++) await store.limit('rl:{window}', r, 'reserve', T0);
        assert.equal((await store.limit('rl:{window}', r, 'reserve', T0 + 4_000)).ok, false);
        assert.equal((await store.limit('rl:{window}', r, 'reserve', T0 + 5_000)).count, 1);
      });
    });

    it('keeps stores with different prefixes apart', async () => {
      const other = await backend.open();
      await store.set('shared-name', 'mine', 60);
      assert.equal(await other.get('shared-name'), null);
      await other.set('shared-name', 'theirs', 60);
      assert.equal(await store.get('shared-name'), 'mine');
      assert.equal(await other.consume('shared-name'), 'theirs');
      assert.equal(await store.get('shared-name'), 'mine');

      const heard = nextMessage(300);
      const unsubscribe = await store.subscribe('prefixed', heard.handler);
      await other.publish('prefixed', 'not for you');
      assert.equal(await heard.received, null);
      await unsubscribe();
      await other.close();
    });
  });
}
