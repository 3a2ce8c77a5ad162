/**
 * Graceful shutdown of the real service process: on SIGTERM /readyz answers 503 at once, new
 * connections are refused, the request in flight (a token request whose body is still being
 * uploaded) completes, and the process exits 0; requests still running at SHUTDOWN_TIMEOUT_MS are
 * cut off and the exit status says so. On the embedded stores, and on PostgreSQL + Redis when
 * the run has them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startSandbox } from '../../providers/sandboxes.ts';
import { generateClientSecret } from '../../src/crypto/client-secret.ts';
import { processStores, startServiceProcess, type ProcessStores, type ServiceProcess } from '../support/service-process.ts';
import { openRaw, refusesConnections } from './raw-http.ts';

const CLIENT_ID = 'batch-job';
const SECRET = generateClientSecret();
const BODY = 'grant_type=client_credentials';

describe('graceful shutdown of the service process', { timeout: 1_500_000 }, () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let stores: ProcessStores;
  const running: ServiceProcess[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    stores = await processStores();
    await mkdir(stores.env.CLIENTS_DIR!, { recursive: true });
    await writeFile(
      path.join(stores.env.CLIENTS_DIR!, `${CLIENT_ID}.json`),
      JSON.stringify({
        client_id: CLIENT_ID,
        client_name: 'Batch job',
        client_secret: SECRET,
        redirect_uris: ['http://127.0.0.1:9/callback'],
        grant_types: ['authorization_code', 'client_credentials'],
      }),
    );
  });
  after(async () => {
    for (const s of running) s.kill();
    await Promise.all(running.map((s) => s.exited));
    await stores?.close();
    await sandbox?.close();
  });

  const start = async (env: Record<string, string>) => {
    const s = await startServiceProcess({
      NODE_ENV: 'development',
      DEMO: 'false',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      AUTHORITIES_URL: sandbox.url,
      ...stores.env,
      ...env,
    });
    running.push(s);
    return s;
  };

  /** a token request whose headers have reached the service (it answered 100 Continue) and whose body has not */
  async function tokenRequestInFlight(port: number) {
    const c = await openRaw(port);
    await c.write(
      [
        'POST /token HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${BODY.length}`,
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
    );
    await c.until('100 Continue');
    return c;
  }

  it('on SIGTERM: /readyz 503 at once, new connections refused, the request in flight completes, exit 0', async () => {
    const service = await start({ SHUTDOWN_TIMEOUT_MS: '120000' });
    // a readiness probe that has begun to arrive: its request line is in, its headers are not finished
    const probe = await openRaw(service.port);
    await probe.write(`GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:${service.port}\r\n`);
    const upload = await tokenRequestInFlight(service.port);

    service.child.kill('SIGTERM');
    await service.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('draining'), 'the listener closing');
    assert.equal(await refusesConnections(service.port), true, 'no new connection is accepted once stopping');

    await probe.write('\r\n');
    const ready = await probe.reply();
    assert.equal(ready.status, 503, JSON.stringify(ready));
    assert.deepEqual(JSON.parse(ready.body), { status: 'shutting_down' });
    assert.equal(ready.headers.connection, 'close');

    await upload.write(BODY);
    const token = await upload.reply();
    assert.equal(token.status, 200, JSON.stringify(token));
    assert.equal(typeof JSON.parse(token.body).access_token, 'string');
    assert.equal(token.headers.connection, 'close');

    const exit = await service.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, service.output().slice(-2000));
    const stopped = service.logs().find((l) => l.msg === 'stopped');
    assert.equal(stopped?.clean, true, 'stores and background tasks closed within the grace');
  });

  it('on SIGINT with a request still running at SHUTDOWN_TIMEOUT_MS: the request is cut off and the exit status is 1', async () => {
    const service = await start({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const upload = await tokenRequestInFlight(service.port);
    service.child.kill('SIGINT');
    // the body never comes: the deadline ends the connection without a reply
    await upload.closed;
    assert.doesNotMatch(upload.received().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''), /HTTP\/1\.1/);
    const exit = await service.exited;
    assert.deepEqual(exit, { code: 1, signal: null }, service.output().slice(-2000));
    assert.ok(service.logs().some((l) => l.msg === 'stopped' && l.clean === false));
  });

  it('a stop with nothing in flight is quick and clean, and a second signal changes nothing', async () => {
    const service = await start({});
    service.child.kill('SIGTERM');
    service.child.kill('SIGINT');
    assert.deepEqual(await service.exited, { code: 0, signal: null }, service.output().slice(-2000));
    assert.equal(service.logs().filter((l) => l.msg === 'shutting down').length, 1);
  });
});
