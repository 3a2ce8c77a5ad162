// test-pass: embedded — random bytes from a pool in memory, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pooledRandomBytes, randomId } from '../../src/crypto/random-pool.ts';

describe('random pool', () => {
  it('never hands out the same bytes twice, across many refills of the pool', () => {
    const seen = new Set<string>();
    // 16 bytes × 3000 is about twelve 4 KB pools; odd sizes make requests straddle the refill
    for (let i = 0; i < 3000; i++) {
      const n = [16, 12, 7, 33][i % 4]!;
      const b = pooledRandomBytes(n);
      assert.equal(b.length, n);
      const hex = b.toString('hex');
      assert.ok(!seen.has(hex), `bytes handed out twice at call ${i}`);
      seen.add(hex);
    }
  });

  it('hands out copies: bytes handed out do not change as the pool is wiped and refilled', () => {
    const a = pooledRandomBytes(16);
    const before = Buffer.from(a);
    assert.notDeepEqual(a, Buffer.alloc(16), 'not wiped with the pool');
    for (let i = 0; i < 600; i++) pooledRandomBytes(16); // the pool is refilled twice meanwhile
    assert.deepEqual(a, before);
  });

  it('uses every value of a byte, and large requests are served too', () => {
    const bytes = Buffer.concat(Array.from({ length: 400 }, () => pooledRandomBytes(64)));
    assert.equal(new Set(bytes).size, 256);
    assert.equal(pooledRandomBytes(1000).length, 1000);
  });

  it('makes base64url ids of the asked strength', () => {
    assert.match(randomId(16), /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(randomId(16), randomId(16));
  });

  it('refuses a size that is not a whole number of bytes', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) assert.throws(() => pooledRandomBytes(n), RangeError);
  });
});
