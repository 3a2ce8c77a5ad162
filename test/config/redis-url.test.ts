/** REDIS_URL's three shapes, and a clear start-up error for anything else (never echoing a password). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/env.ts';
import { describeRedisTarget, parseRedisUrl } from '../../src/config/redis-url.ts';
import { ConfigError } from '../../src/errors.ts';

describe('REDIS_URL', () => {
  it('reads one server, a cluster and a Sentinel-watched master', () => {
    assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6379'), { mode: 'standalone', url: 'redis://127.0.0.1:6379' });
    assert.deepEqual(parseRedisUrl('rediss+cluster://app:s%40cret@10.0.1.1:6379,10.0.1.2:6380,[fd00::3]:6381'), {
      mode: 'cluster',
      nodes: [
        { host: '10.0.1.1', port: 6379 },
        { host: '10.0.1.2', port: 6380 },
        { host: 'fd00::3', port: 6381 },
      ],
      tls: true,
      username: 'app',
      password: 's@cret',
    });
    assert.deepEqual(parseRedisUrl('redis+sentinel://:pw@s1.internal:26379,s2.internal:26379/tongban/2'), {
      mode: 'sentinel',
      sentinels: [
        { host: 's1.internal', port: 26379 },
        { host: 's2.internal', port: 26379 },
      ],
      masterName: 'tongban',
      tls: false,
      database: 2,
      password: 'pw',
    });
  });

  it('stops start-up on any other shape, naming the variable and the shapes it takes, without the password', () => {
    for (const bad of [
      'http://127.0.0.1:6379',
      'redis://a:1,b:2',
      'redis+cluster://10.0.1.1',
      'redis+cluster://10.0.1.1:6379/0',
      'redis+sentinel://10.0.2.1:26379',
      'redis+sentinel://10.0.2.1:26379/bad name',
      'redis+mesh://10.0.1.1:6379',
      'redis+cluster://user:hunter2@10.0.1.1:99999',
    ]) {
      assert.throws(
        () => loadConfig({ REDIS_URL: bad }),
        (e: Error) => e instanceof ConfigError && /REDIS_URL/.test(e.message) && !e.message.includes('hunter2'),
        bad,
      );
    }
    assert.match(String((parseRedisUrl('redis+mesh://x:1') as { error: string }).error), /redis\+cluster:\/\/host:port,host:port/);
  });

  it('describes a target by its hosts only', () => {
    const cluster = parseRedisUrl('redis+cluster://u:hunter2@10.0.1.1:6379,10.0.1.2:6379');
    assert.ok(!('error' in cluster));
    assert.equal(describeRedisTarget(cluster), 'the Redis Cluster at 10.0.1.1:6379,10.0.1.2:6379');
    const one = parseRedisUrl('redis://u:hunter2@10.0.0.9:6379');
    assert.ok(!('error' in one));
    assert.equal(describeRedisTarget(one), 'redis://10.0.0.9:6379');
  });
});
