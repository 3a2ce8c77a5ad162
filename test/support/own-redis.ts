/**
 * A private redis-server for fault tests, on a free port, that a test may stop, restart, freeze
 * and thaw without disturbing the shared Redis. No persistence: a stop loses every key, as a
 * production Redis without persistence would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { findBinary, freePort } from './own-process.ts';

/** false when a redis-server can be started here; otherwise why not (a skip reason) */
export const ownRedisMissing: string | false = findBinary('redis-server') ? false : 'redis-server is not installed';

export interface OwnRedis {
  url: string;
  /** SIGSTOP: the server keeps its connections and answers nothing */
  freeze(): void;
  thaw(): void;
  /** shuts the server down; its keys are gone */
  stop(): Promise<void>;
  /** starts it again on the same port */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  async function start(): Promise<void> {
    const child = spawn(findBinary('redis-server')!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    server = child;
    for (let i = 0; ; i++) {
      const probe = createClient({ url, socket: { reconnectStrategy: false } });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.close();
        return;
      } catch {
        probe.destroy();
        if (i > 100 || child.exitCode !== null) throw new Error(`the private redis-server on port ${port} did not start`);
        await sleep(50);
      }
    }
  }

  async function stop(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  await start();
  return {
    url,
    freeze: () => void server?.kill('SIGSTOP'),
    thaw: () => void server?.kill('SIGCONT'),
    stop,
    start,
    close: stop,
  };
}
