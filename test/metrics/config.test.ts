/** METRICS_PORT and METRICS_HOST: the defaults, turning the listener off, and refused values. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';

const base = { ISSUER: 'https://id.example.gov.cn', AUTHORITIES_URL: 'https://authorities.example.gov.cn' };

describe('metrics settings', () => {
  it('listen on 127.0.0.1:9464 by default, off under NODE_ENV=test unless a port is given', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'development' }).metrics, { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).metrics, undefined);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9500' }).metrics, { host: '127.0.0.1', port: 9500 });
    assert.deepEqual(loadConfig({ NODE_ENV: 'development', METRICS_PORT: '9100', METRICS_HOST: '10.1.2.3' }).metrics, { host: '10.1.2.3', port: 9100 });
    assert.deepEqual(loadConfig({ NODE_ENV: 'development', METRICS_HOST: '::1' }).metrics, { host: '::1', port: 9464 });
  });

  it('METRICS_PORT=0 turns the listener off', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development', METRICS_PORT: '0' }).metrics, undefined);
  });

  it('refuses a port or host that is not one, naming the variable', () => {
    for (const [name, value] of [['METRICS_PORT', '70000'], ['METRICS_PORT', 'nine'], ['METRICS_HOST', 'metrics.example'], ['METRICS_HOST', '10.0.0.1:9464']] as const) {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'development', ...base, [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.message.includes(`${name}: `),
        `${name}=${value}`,
      );
    }
  });
});
