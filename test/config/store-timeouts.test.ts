// test-pass: embedded — reads configuration only
/** The store timeouts, pool size and log level from the environment: defaults, and a bad value named. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';

describe('store timeouts and log level in the environment', () => {
  it('defaults to connect 3 s, statement 5 s, idle in transaction 10 s, a pool of 10, Redis replies within 5 s', () => {
    const c = loadConfig({ NODE_ENV: 'development' });
    assert.deepEqual(c.postgres, { connectTimeoutMs: 3000, statementTimeoutMs: 5000, idleInTransactionTimeoutMs: 10000, poolMax: 10 });
    assert.equal(c.redisCommandTimeoutMs, 5000);
    assert.equal(c.logLevel, 'info');
  });

  it('is silent under NODE_ENV=test unless LOG_LEVEL says otherwise', () => {
    assert.equal(loadConfig({ NODE_ENV: 'test' }).logLevel, 'silent');
    assert.equal(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel, 'warn');
  });

  it('takes 0 as "no timeout" and refuses values that are not whole milliseconds, naming the variable', () => {
    assert.equal(loadConfig({ PG_STATEMENT_TIMEOUT_MS: '0' }).postgres.statementTimeoutMs, 0);
    for (const [name, value] of [
      ['PG_STATEMENT_TIMEOUT_MS', 'five'],
      ['PG_CONNECT_TIMEOUT_MS', '-1'],
      ['PG_IDLE_IN_TRANSACTION_TIMEOUT_MS', '1.5'],
      ['PG_POOL_MAX', '0'],
      ['REDIS_COMMAND_TIMEOUT_MS', '10'],
      ['LOG_LEVEL', 'verbose'],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }), (err: unknown) => err instanceof ConfigError && err.message.includes(name), `${name}=${value}`);
    }
  });
});
