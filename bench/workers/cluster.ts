/** Starts workers/serve.ts as a child process and waits until every worker listens. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/own-process.ts';
import type { ServiceSetup } from '../service.ts';

export interface Cluster {
  issuer: string;
  workers: number;
  close(): Promise<void>;
}

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serve.ts');

export async function startCluster(setup: ServiceSetup, workers: number): Promise<Cluster> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, BENCH_CLUSTER: JSON.stringify({ workers, port, setup }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${workers} workers did not start within 60 s`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the cluster ended before it was ready (${code})`));
    });
  }).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  return { issuer: `http://127.0.0.1:${port}`, workers, close };
}
