// test-pass: embedded — reads configuration only
/** How many password hashes a process runs at once: its share of the cores (at least two) by default, or ARGON2_CONCURRENCY. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { loadConfig } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';

describe('password hashes at once', () => {
  it('gives each worker process its share of the cores, and at least two', () => {
    const cores = availableParallelism();
    assert.equal(loadConfig({ NODE_ENV: 'development' }).argon2.concurrency, Math.max(2, cores), 'one worker in development: every core');
    assert.equal(loadConfig({ NODE_ENV: 'development', WORKERS: '2' }).argon2.concurrency, Math.max(2, Math.ceil(cores / 2)));
    assert.equal(loadConfig({ NODE_ENV: 'development', WORKERS: String(cores * 4) }).argon2.concurrency, 2);
  });

  it('takes ARGON2_CONCURRENCY when set, and refuses what is not a whole number from 1 to 64, naming it', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development', ARGON2_CONCURRENCY: '3' }).argon2.concurrency, 3);
    for (const value of ['0', '-1', '1.5', 'two', '65']) {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'development', ARGON2_CONCURRENCY: value }),
        (err: unknown) => err instanceof ConfigError && err.message.includes('ARGON2_CONCURRENCY'),
        value,
      );
    }
  });
});
