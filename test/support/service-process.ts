/**
 * The real service in its own process (src/main.ts, the entry `npm start` runs), for tests of
 * what only a process shows: signals, exit status, worker processes. Its log lines (JSON on
 * stdout) are collected; its stores are the embedded ones, or, when the test run has
 * DATABASE_URL and REDIS_URL, a database of its own on that PostgreSQL and a private redis-server
 * (the service takes no schema or key prefix, so it gets whole stores to itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { REPO_ROOT } from '../../src/config/env.ts';
import { freePort } from './own-process.ts';
import { entryArgs } from './entry.ts';
import { startOwnRedis, type OwnRedis } from './own-redis.ts';
import { seedDataDir } from './pglite-image.ts';

export type LogLine = Record<string, unknown>;

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** JSON log lines so far */
  logs(): LogLine[];
  /** everything written to stdout and stderr, for failure messages */
  output(): string;
  /** the first log line (old or new) `match` accepts; fails after `timeoutMs` */
  waitForLog(match: (l: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** resolves with the exit status once the process has ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (cleanup) */
  kill(): void;
}

/** Starts the service with `env` over the process's own (DATABASE_URL and REDIS_URL removed). */
export async function startServiceProcess(env: Record<string, string>, opts: { readyTimeoutMs?: number; args?: string[] } = {}): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, PORT: String(port), ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  const child = spawn(process.execPath, [...entryArgs('src/main.ts'), ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const lines: LogLine[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    text += d;
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const p of parts) {
      if (!p.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let ended = false;
  void exited.then(() => (ended = true));

  const service: ServiceProcess = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    logs: () => lines.slice(),
    output: () => text,
    async waitForLog(match, what, timeoutMs = 300_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (ended) throw new Error(`the service ended before logging ${what}:\n${text.slice(-3000)}`);
        if (Date.now() > until) throw new Error(`no log line for ${what} within ${timeoutMs} ms:\n${text.slice(-3000)}`);
        await sleep(50);
      }
    },
    exited,
    kill() {
      if (!ended) child.kill('SIGKILL');
    },
  };
  await service.waitForLog((l) => l.msg === 'listening' || l.msg === 'primary supervising workers', 'its start', opts.readyTimeoutMs);
  return service;
}

/** What a service process stores in: folders of its own, and its own database and Redis when the run has servers. */
export interface ProcessStores {
  env: Record<string, string>;
  shared: boolean;
  close(): Promise<void>;
}

export async function processStores(opts: { shared?: boolean } = {}): Promise<ProcessStores> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'tongban-process-'));
  const env: Record<string, string> = {
    DATA_DIR: path.join(tmp, 'data'),
    KEYS_DIR: path.join(tmp, 'keys'),
    CLIENTS_DIR: path.join(tmp, 'clients'),
  };
  const serverUrl = process.env.DATABASE_URL;
  const shared = (opts.shared ?? true) && Boolean(serverUrl && process.env.REDIS_URL);
  let redis: OwnRedis | undefined;
  let database: string | undefined;
  if (shared) {
    database = `proc_${randomBytes(5).toString('hex')}`;
    await adminQuery(serverUrl!, `CREATE DATABASE "${database}"`);
    const u = new URL(serverUrl!);
    u.pathname = `/${database}`;
    env.DATABASE_URL = u.toString();
    redis = await startOwnRedis();
    env.REDIS_URL = redis.url;
  } else {
    // embedded: the service's first start finds its cluster made and migrated, as after any first start
    await seedDataDir(env.DATA_DIR!, 'migrated');
  }
  return {
    env,
    shared,
    async close() {
      await redis?.close();
      if (database) await adminQuery(serverUrl!, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
