import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';
import { ephemeralBackends } from '../support/backends.ts';

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

for (const backend of ephemeralBackends()) {
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
