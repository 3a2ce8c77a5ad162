/**
 * `npm start` on a clone with its development dependencies starts the whole development city
 * from the TypeScript sources, with no build: the provider on the embedded stores, the sandbox
 * authorities and the demo department apps; SIGTERM stops it with status 0. (The compiled start
 * after `npm ci --omit=dev` is checked by .ci/compiled-start.sh.)
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../../src/config/env.ts';
import { freePort } from '../support/own-process.ts';

describe('npm start in development', { timeout: 900_000 }, () => {
  let tmp: string | undefined;
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('starts the provider, the sandbox and the demo apps on embedded defaults, and stops on SIGTERM with 0', async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'tongban-dev-start-'));
    const [port, sandboxPort, demo1, demo2] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      DEMO_PORTS: `${demo1},${demo2}`,
      METRICS_PORT: '0',
      DATA_DIR: path.join(tmp, 'data'),
      KEYS_DIR: path.join(tmp, 'keys'),
    };
    // what a fresh clone has: no store servers named, no NODE_ENV (the test runner sets one)
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.NODE_ENV;
    const npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    npm.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = once(npm, 'exit');
    try {
      for (let i = 0; !out.includes('Synthetic demo citizens'); i++) {
        assert.ok(npm.exitCode === null, `npm start ended early:\n${out}`);
        assert.ok(i < 6000, `npm start did not finish starting within 600 s:\n${out}`);
        await sleep(100);
      }
      const base = `http://localhost:${port}`;
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'pglite', store: 'memory' });
      const discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as { issuer: string };
      assert.equal(discovery.issuer, base);
      assert.equal((await fetch(`http://localhost:${demo1}/`)).status, 200, 'the first demo app answers');
      assert.equal((await fetch(`http://127.0.0.1:${sandboxPort}/sms/outbox`)).status, 200, 'the sandbox answers');

      // SIGTERM to the service (the pid in its log lines), as a process manager sends it
      const pid = Number(/"pid":(\d+)/.exec(out)?.[1]);
      assert.ok(pid > 0, 'the service logs its pid');
      process.kill(pid, 'SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, out.slice(-2000));
      assert.match(out, /"clean":true,.*"msg":"stopped"/);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  });
});
