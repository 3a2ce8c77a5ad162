// test-pass: postgres-redis — needs REDIS_URL; silences a Redis of its own
/**
 * A Redis that stops answering (here: a private redis-server told to pause every client) fails
 * the commands waiting on it within the silence limit instead of hanging them, and the store
 * works again once Redis answers. Runs with the Redis suite (REDIS_URL set), on its own server
 * so that pausing it disturbs no other test.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { createRedisStore } from '../../src/store/redis-store.ts';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';

const SILENCE_MS = 600;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('Redis store when Redis stops answering', { skip: !process.env.REDIS_URL && 'REDIS_URL not set' }, () => {
  let server: ChildProcess;
  let url: string;
  let store: EphemeralStore;

  before(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const probe = createClient({ url });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.close();
        break;
      } catch {
        probe.destroy();
        if (i > 50) throw new Error('the private redis-server did not start');
        await sleep(100);
      }
    }
    store = await createRedisStore({ url, prefix: 'silence:', silenceMs: SILENCE_MS });
  });

  after(async () => {
    await store?.close();
    server?.kill();
  });

  it('keeps a quiet connection open', async () => {
    await store.set('k', 'v', 60);
    await sleep(SILENCE_MS * 3);
    assert.equal(await store.get('k'), 'v');
  });

  it('fails a waiting command within the limit, then works again', async () => {
    const admin = createClient({ url });
    await admin.connect();
    await admin.sendCommand(['CLIENT', 'PAUSE', String(SILENCE_MS * 4), 'ALL']);
    admin.destroy();
    const started = Date.now();
    await assert.rejects(store.get('k'));
    const waited = Date.now() - started;
    assert.ok(waited >= SILENCE_MS && waited < SILENCE_MS * 3, `failed after ${waited} ms`);
    // once the pause is over, the reconnected store answers
    for (let i = 0; ; i++) {
      try {
        assert.equal(await store.get('k'), 'v');
        break;
      } catch (err) {
        if (i > 100) throw err;
        await sleep(100);
      }
    }
  });
});
