/**
 * WORKERS=n: the real service as n worker processes under a supervising primary. On PostgreSQL +
 * Redis: both workers serve requests (their pids in the request log), a whole login (authorization
 * request, password page, code exchange) crosses them, a killed worker is replaced, and SIGTERM
 * stops every worker cleanly. On the embedded stores, and with the demo, more than one worker is
 * refused at start-up with a message that says why.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import request from 'supertest';
import { startSandbox } from '../../providers/sandboxes.ts';
import { generateClientSecret } from '../../src/crypto/client-secret.ts';
import { loadConfig, REPO_ROOT } from '../../src/config/env.ts';
import { createAppContext } from '../../src/app-context.ts';
import { createSecretHasher } from '../../src/crypto/password.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { passwordLogin } from '../support/login.ts';
import { freePort } from '../support/own-process.ts';
import { entryArgs } from '../support/entry.ts';
import { processStores, startServiceProcess, type LogLine, type ProcessStores, type ServiceProcess } from '../support/service-process.ts';
import { sharedBackends } from '../support/instances.ts';

// every request on a connection of its own, so the primary hands each to the next worker
http.globalAgent = new http.Agent({ keepAlive: false });

const CLIENT_ID = 'cluster-dept';
const SECRET = generateClientSecret();
const REDIRECT = 'http://127.0.0.1:9/callback';
const PASSWORD = 'Workers-2026-login';

const requestLines = (s: ServiceProcess) => s.logs().filter((l) => l.msg === 'request');
const workerStarts = (s: ServiceProcess) => s.logs().filter((l) => l.msg === 'listening' && l.clusterWorker === true);

describe('worker processes', { timeout: 1_500_000 }, () => {
  describe('on PostgreSQL + Redis', { skip: sharedBackends }, () => {
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    let stores: ProcessStores;
    let service: ServiceProcess | undefined;
    let env: Record<string, string>;
    const who = citizen('wang-fang');

    before(async () => {
      sandbox = await startSandbox({ port: 0 });
      stores = await processStores();
      const port = await freePort();
      env = {
        NODE_ENV: 'development',
        DEMO: 'false',
        LOG_LEVEL: 'info',
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        PORT: String(port),
        ISSUER: `http://127.0.0.1:${port}`,
        AUTHORITIES_URL: sandbox.url,
        ALLOW_LOOPBACK_FETCH: 'true',
        ...stores.env,
      };
      await mkdir(env.CLIENTS_DIR!, { recursive: true });
      await writeFile(
        path.join(env.CLIENTS_DIR!, `${CLIENT_ID}.json`),
        JSON.stringify({
          client_id: CLIENT_ID,
          client_name: 'Cluster department',
          client_secret: SECRET,
          redirect_uris: [REDIRECT],
          tongban_first_party: true,
        }),
      );
      // the citizen, enrolled by a context of this process on the same stores and keys
      const config = loadConfig(env);
      const ctx = await createAppContext(config);
      try {
        const hash = await createSecretHasher(config.argon2).hash(PASSWORD);
        await ctx.identity.enrol(who.idNumber, {
          name: who.name,
          proofing: 'remote',
          credentials: [{ method: 'id-card-password', identifier: who.idNumber, secretHash: hash }],
        });
      } finally {
        await ctx.close();
      }
      service = await startServiceProcess({ ...env, WORKERS: '2' });
      await service.waitForLog(() => workerStarts(service!).length >= 2, 'two workers listening');
    });
    after(async () => {
      service?.kill();
      if (service) await service.exited;
      await stores?.close();
      await sandbox?.close();
    });

    it('runs two workers, and a whole login crosses both', async () => {
      const s = service!;
      const pids = new Set(workerStarts(s).map((l) => l.pid));
      assert.equal(pids.size, 2, 'two worker processes');
      assert.ok(!pids.has(s.child.pid), 'the primary serves nothing itself');

      const before = requestLines(s).length;
      const browser = new Browser(s.url);
      const r = authUrl(CLIENT_ID, REDIRECT);
      const chooser = await browser.open(r.url);
      assert.equal(chooser.status, 200, chooser.text.slice(0, 300));
      const done = await passwordLogin(browser, chooser.text, who.idNumber, PASSWORD);
      const code = codeFrom(done.location, r.state);
      const token = await request(s.url)
        .post('/token')
        .auth(CLIENT_ID, SECRET)
        .type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: r.verifier });
      assert.equal(token.status, 200, token.text);
      assert.equal(typeof token.body.id_token, 'string');

      await s.waitForLog(() => requestLines(s).slice(before).some((l) => (l.route ?? l.path) === '/token'), 'the token request');
      const served = new Set(requestLines(s).slice(before).map((l) => l.pid));
      assert.deepEqual([...served].sort(), [...pids].sort(), 'both workers served steps of the one login');
    });

    it('replaces a worker that dies, and the new one serves', async () => {
      const s = service!;
      const [victim] = workerStarts(s).map((l) => l.pid as number);
      process.kill(victim!, 'SIGKILL');
      await s.waitForLog((l) => l.msg === 'worker died; starting another' && l.workerPid === victim, 'the primary noticing the death');
      const replacement = await s.waitForLog(
        (l) => l.msg === 'listening' && l.clusterWorker === true && !workerStarts(s).slice(0, 2).some((w) => w.pid === l.pid),
        'a new worker listening',
      );
      const before = requestLines(s).length;
      for (let i = 0; i < 6; i++) {
        const res = await request(s.url).get('/.well-known/openid-configuration');
        assert.equal(res.status, 200);
      }
      await s.waitForLog(() => requestLines(s).slice(before).length >= 6, 'six request lines');
      assert.ok(
        requestLines(s).slice(before).some((l: LogLine) => l.pid === replacement.pid),
        'the replacement worker serves requests',
      );
    });

    it('SIGTERM to the primary stops every worker gracefully and exits 0', async () => {
      const s = service!;
      s.child.kill('SIGTERM');
      assert.deepEqual(await s.exited, { code: 0, signal: null }, s.output().slice(-2000));
      const stopped = s.logs().filter((l) => l.msg === 'stopped');
      assert.equal(stopped.filter((l) => l.pid !== s.child.pid && l.clean === true).length, 2, 'both workers stopped cleanly');
      assert.ok(stopped.some((l) => l.pid === s.child.pid && l.clean === true), 'the primary reports a clean stop');
    });
  });

  describe('refused at start-up', () => {
    let stores: ProcessStores;
    before(async () => {
      stores = await processStores({ shared: false });
    });
    after(() => stores?.close());

    async function startAndFail(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
      const base: Record<string, string | undefined> = { ...process.env };
      delete base.DATABASE_URL;
      delete base.REDIS_URL;
      const childEnv = { ...base, ...stores.env, NODE_ENV: 'development', METRICS_PORT: '0', PORT: '0', ...env };
      const child = spawn(process.execPath, entryArgs('src/main.ts'), { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = await once(child, 'exit');
      return { code: code as number | null, stderr };
    }

    it('more than one worker on the embedded stores, naming what to set', async () => {
      const r = await startAndFail({ WORKERS: '2', DEMO: 'false', AUTHORITIES_URL: 'http://127.0.0.1:9' });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /WORKERS=2: several worker processes need PostgreSQL and Redis/);
      assert.match(r.stderr, /set DATABASE_URL and REDIS_URL, or WORKERS=1/);
    });

    it('more than one worker with the demo, which runs in one process', async () => {
      const r = await startAndFail({ WORKERS: '2', DEMO: 'true', DATABASE_URL: 'postgres://127.0.0.1:9/x', REDIS_URL: 'redis://127.0.0.1:9' });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /WORKERS=2: the demo .* runs in one process; set WORKERS=1 or DEMO=false/);
    });
  });
});
