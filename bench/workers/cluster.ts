/**
 * The service as `npm start` runs it (src/main.ts) with WORKERS=n, serving the core part's
 * service from its stores: the same PostgreSQL schema (through search_path in the URL), keys,
 * clients and sandbox, with a Redis of the bench's own (main.ts puts no key prefix on the
 * shared one). Ready when /readyz answers 200.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../../src/config/env.ts';
import { freePort } from '../../test/support/own-process.ts';
import { request } from '../http-request.ts';
import type { ServiceSetup } from '../service.ts';

export interface Cluster {
  issuer: string;
  workers: number;
  close(): Promise<void>;
}

// compiling the sources (tsx) and starting the service in each process takes a while on a busy machine
const START_SECONDS = 240;

export async function startCluster(setup: ServiceSetup, workers: number, redisUrl: string): Promise<Cluster> {
  if (!setup.databaseUrl || !setup.schema) throw new Error('workers need PostgreSQL');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const db = new URL(setup.databaseUrl);
  db.searchParams.set('options', `-c search_path=${setup.schema}`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'main.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      WORKERS: String(workers),
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: issuer,
      DATABASE_URL: db.href,
      REDIS_URL: redisUrl,
      KEYS_DIR: setup.keysDir,
      CLIENTS_DIR: setup.clientsDir,
      AUTHORITIES_URL: setup.authoritiesUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  try {
    const deadline = Date.now() + START_SECONDS * 1000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service with WORKERS=${workers} ended (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error(`the service with WORKERS=${workers} was not ready within ${START_SECONDS} s`);
      const ready = await request(`${issuer}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) break;
      await sleep(500);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { issuer, workers, close };
}
