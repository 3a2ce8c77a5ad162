// test-pass: embedded — argon2 and its timing, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretHasher, needsRehash } from '../../src/crypto/password.ts';
import { compareTimings, describeTimings } from '../support/timing.ts';

describe('secret hasher (argon2id)', () => {
  const hasher = createSecretHasher();

  it('uses argon2id with m=19456, t=2, p=1 by default', async () => {
    assert.deepEqual({ ...hasher.params }, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const h = await hasher.hash('correct horse 1');
    assert.match(h, /^\$argon2id\$v=19\$/);
    // The argon2 package orders the parameters m,p,t; compare them as a set.
    const params = new Set(h.split('$')[3]!.split(','));
    assert.deepEqual(params, new Set(['m=19456', 't=2', 'p=1']));
    assert.ok(!h.includes('correct horse 1'));
    assert.equal(needsRehash(h, hasher.params), false);
    assert.equal(needsRehash(h, { memoryCost: 65536, timeCost: 3, parallelism: 1 }), true);
    assert.equal(needsRehash('garbage', hasher.params), true);
  });

  it('verifies the right secret and rejects a wrong one', async () => {
    const h = await hasher.hash('Secret123');
    assert.equal(await hasher.verify(h, 'Secret123'), true);
    assert.equal(await hasher.verify(h, 'Secret124'), false);
    assert.equal(await hasher.verify(h, ''), false);
  });

  it('returns false for an unknown person, after about the work of a wrong password', async () => {
    const h = await hasher.hash('Secret123');
    // Warm up, including the lazily made dummy hash.
    await hasher.verify(null, 'x');
    await hasher.verify(h, 'x');
    const c = await compareTimings(
      15,
      () => hasher.verify(null, 'Secret123'),
      () => hasher.verify(h, 'Wrong123'),
    );
    assert.equal(await hasher.verify(null, 'tongban-dummy-secret'), false);
    assert.ok(c.ratio > 0.6 && c.ratio < 1.6, describeTimings(c));
  });

  it('returns false (never throws) for a malformed stored hash', async () => {
    for (const bad of ['', 'plain', '$argon2id$v=19$m=19456,t=2,p=1$', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$', '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.equal(await hasher.verify(bad, 'Secret123'), false, bad);
    }
    // Parameters far beyond anything we issue are not run at all.
    assert.equal(await hasher.verify('$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo', 'x'), false);
  });

  it('refuses parameters weaker than the defaults unless allowWeak is set', () => {
    assert.throws(() => createSecretHasher({ memoryCost: 1024 }), /memoryCost/);
    assert.throws(() => createSecretHasher({ timeCost: 1 }), /timeCost/);
    assert.throws(() => createSecretHasher({ memoryCost: 0, allowWeak: true }), /positive/);
    const weak = createSecretHasher({ memoryCost: 1024, timeCost: 1, allowWeak: true });
    assert.deepEqual({ ...weak.params }, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const strong = createSecretHasher({ memoryCost: 65536, timeCost: 3 });
    assert.equal(strong.params.memoryCost, 65536);
  });

  it('runs at most `concurrency` hashes at once; the rest wait their turn and all get their answer', async () => {
    const two = createSecretHasher({ concurrency: 2 });
    const h = await two.hash('Secret123');
    assert.deepEqual(two.load(), { running: 0, waiting: 0 });
    const secrets = ['Secret123', 'wrong', 'Secret123', 'also wrong', 'Secret123', 'Secret123'];
    const answers = Promise.all([...secrets.map((s) => two.verify(h, s)), two.verify(null, 'nobody')]);
    let most = 0;
    let sawWaiting = false;
    for (let done = false; !done; ) {
      done = await Promise.race([answers.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 1))]);
      const { running, waiting } = two.load();
      most = Math.max(most, running);
      sawWaiting ||= waiting > 0;
    }
    assert.deepEqual(await answers, [true, false, true, false, true, true, false]);
    assert.equal(most, 2, 'two at a time');
    assert.ok(sawWaiting, 'the others waited');
    assert.deepEqual(two.load(), { running: 0, waiting: 0 });
    assert.throws(() => createSecretHasher({ concurrency: 0 }), /concurrency/);
  });

  it('verifies a hash made with other parameters (so old hashes keep working)', async () => {
    const weak = createSecretHasher({ memoryCost: 1024, timeCost: 1, allowWeak: true });
    const h = await weak.hash('Secret123');
    assert.equal(await hasher.verify(h, 'Secret123'), true);
    assert.equal(needsRehash(h, hasher.params), true);
  });
});
