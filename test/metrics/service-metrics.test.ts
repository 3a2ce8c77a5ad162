/**
 * The metrics listener of the real service (`npm start`'s process): on 127.0.0.1 unless told
 * otherwise, apart from the public port, and counting what the process served. With two worker
 * processes (PostgreSQL + Redis only) the primary's listener reports the workers' figures summed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { startSandbox } from '../../providers/sandboxes.ts';
import { generateClientSecret } from '../../src/crypto/client-secret.ts';
import { freePort } from '../support/own-process.ts';
import { processStores, startServiceProcess, type ProcessStores, type ServiceProcess } from '../support/service-process.ts';
import { sharedBackends } from '../support/instances.ts';
import { boundAddressesOf } from './listening.ts';
import { seriesValue } from './scrape.ts';

// a connection per request, so the primary of a cluster hands them to its workers in turn
http.globalAgent = new http.Agent({ keepAlive: false });

const CLIENT_ID = 'metrics-dept';
const SECRET = generateClientSecret();
const GRANTS = 'tongban_token_grants_total';

async function serviceWith(stores: ProcessStores, sandboxUrl: string, extra: Record<string, string>): Promise<{ service: ServiceProcess; metricsPort: number }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    DEMO: 'false',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    AUTHORITIES_URL: sandboxUrl,
    METRICS_PORT: String(metricsPort),
    ...stores.env,
    ...extra,
  };
  await mkdir(env.CLIENTS_DIR!, { recursive: true });
  await writeFile(
    path.join(env.CLIENTS_DIR!, `${CLIENT_ID}.json`),
    JSON.stringify({ client_id: CLIENT_ID, client_name: 'Metrics department', client_secret: SECRET, redirect_uris: ['http://127.0.0.1:9/callback'], grant_types: ['client_credentials'] }),
  );
  return { service: await startServiceProcess(env), metricsPort };
}

const grant = (url: string) => request(url).post('/token').auth(CLIENT_ID, SECRET).type('form').send({ grant_type: 'client_credentials' });

async function metricsOf(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

describe('the service process serves metrics', { timeout: 600_000 }, () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(() => sandbox?.close());

  describe('one process', () => {
    let stores: ProcessStores;
    let running: { service: ServiceProcess; metricsPort: number } | undefined;
    before(async () => {
      stores = await processStores({ shared: false });
      running = await serviceWith(stores, sandbox.url, {});
    });
    after(async () => {
      running?.service.kill();
      if (running) await running.service.exited;
      await stores?.close();
    });

    it('on 127.0.0.1 by default, not on the public port, counting what it served', async () => {
      const { service, metricsPort } = running!;
      await service.waitForLog((l) => l.msg === 'metrics listening', 'the metrics listener');
      assert.deepEqual(await boundAddressesOf(metricsPort), ['127.0.0.1']);
      const publicSide = await request(service.url).get('/metrics');
      assert.equal(publicSide.status, 404);
      assert.doesNotMatch(publicSide.text, /tongban_/);

      for (let i = 0; i < 3; i++) assert.equal((await grant(service.url)).status, 200);
      const page = await metricsOf(metricsPort);
      assert.equal(seriesValue(page, GRANTS, { grant_type: 'client_credentials', outcome: 'issued' }), 3);
      assert.equal(seriesValue(page, 'tongban_cache_reloads_total', { cache: 'clients', outcome: 'ok' }) >= 1, true, 'the clients were loaded');
      assert.match(page, /^process_resident_memory_bytes \d/m);

      service.child.kill('SIGTERM');
      assert.deepEqual(await service.exited, { code: 0, signal: null }, service.output().slice(-2000));
      await assert.rejects(fetch(`http://127.0.0.1:${metricsPort}/metrics`), 'the metrics listener closed with the service');
    });
  });

  describe('two worker processes', { skip: sharedBackends }, () => {
    let stores: ProcessStores;
    let running: { service: ServiceProcess; metricsPort: number } | undefined;
    before(async () => {
      stores = await processStores();
      running = await serviceWith(stores, sandbox.url, { WORKERS: '2' });
      await running.service.waitForLog(() => running!.service.logs().filter((l) => l.msg === 'listening' && l.clusterWorker === true).length >= 2, 'two workers listening');
    });
    after(async () => {
      running?.service.kill();
      if (running) await running.service.exited;
      await stores?.close();
    });

    it("the primary's listener sums the workers' counts", async () => {
      const { service, metricsPort } = running!;
      const workers = new Set(service.logs().filter((l) => l.msg === 'listening' && l.clusterWorker === true).map((l) => l.pid));
      assert.equal(workers.size, 2);
      for (let i = 0; i < 6; i++) assert.equal((await grant(service.url)).status, 200);
      await service.waitForLog(() => service.logs().filter((l) => l.msg === 'request' && l.route === '/token').length >= 6, 'six token requests');
      const servedBy = new Set(service.logs().filter((l) => l.msg === 'request' && l.route === '/token').map((l) => l.pid));
      assert.deepEqual([...servedBy].sort(), [...workers].sort(), 'both workers granted tokens');
      const page = await metricsOf(metricsPort);
      assert.equal(seriesValue(page, GRANTS, { grant_type: 'client_credentials', outcome: 'issued' }), 6, 'the sum of both workers');
      assert.deepEqual(await boundAddressesOf(metricsPort), ['127.0.0.1']);
    });
  });
});
