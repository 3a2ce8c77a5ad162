/**
 * WORKERS=n: the primary process forks n workers (node:cluster), each a whole service sharing
 * the listening port, and only supervises them: a worker that dies is forked again after a
 * back-off that grows while workers keep dying young; SIGTERM or SIGINT is passed on to every
 * worker, which stops gracefully, and the primary exits 0 only when every worker did.
 * Processes that must run beside the primary (the metrics listener that aggregates the
 * workers' figures) are given as `companions`.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config/env.ts';
import { log } from '../log.ts';
import { CLOSE_GRACE_MS } from './shutdown.ts';

/** Something the primary runs beside its workers; returns how to stop it. */
export type Companion = (config: Config) => Promise<() => Promise<void>>;

const FIRST_RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
// a worker that ran this long before dying resets the back-off
const HEALTHY_RUN_MS = 60_000;

/** Why this configuration cannot run `config.workers` workers, or undefined when it can. */
export function workersProblem(config: Config): string | undefined {
  if (config.workers <= 1) return undefined;
  const count = config.rawEnv.WORKERS ? `WORKERS=${config.workers}` : `WORKERS (one per core in production: ${config.workers})`;
  if (!config.databaseUrl || !config.redisUrl) {
    return `invalid environment:\n  ${count}: several worker processes need PostgreSQL and Redis (embedded PGlite and the in-process store live inside one process); set DATABASE_URL and REDIS_URL, or WORKERS=1`;
  }
  if (config.demo) {
    return `invalid environment:\n  ${count}: the demo (sandbox authorities and department apps) runs in one process; set WORKERS=1 or DEMO=false`;
  }
  return undefined;
}

export function isPrimaryOf(config: Config): boolean {
  return config.workers > 1 && cluster.isPrimary;
}

export async function runPrimary(config: Config, companions: readonly Companion[] = []): Promise<void> {
  let stopping = false;
  let youngDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('online', (worker) => log.info({ workerPid: worker.process.pid }, 'worker started'));
  cluster.on('exit', (worker, code, signal) => {
    const ranMs = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) return;
    youngDeaths = ranMs >= HEALTHY_RUN_MS ? 0 : youngDeaths + 1;
    const delayMs = Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.max(0, youngDeaths - 1));
    log.error({ workerPid: worker.process.pid, code, signal, ranMs, restartInMs: delayMs }, 'worker died; starting another');
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delayMs);
    restarts.add(timer);
  });

  const stops: Array<() => Promise<void>> = [];
  for (const start of companions) stops.push(await start(config));
  for (let i = 0; i < config.workers; i++) fork();
  log.info({ workers: config.workers, primary: process.pid }, 'primary supervising workers');

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: stopping every worker');
    for (const t of restarts) clearTimeout(t);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const outcomes = workers.map(
      (w) => new Promise<boolean>((resolve) => w.once('exit', (code, sig) => resolve(code === 0 && !sig))),
    );
    for (const w of workers) w.process.kill('SIGTERM');
    // each worker bounds its own stop; this one is for a worker that hangs regardless
    const limit = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, config.shutdownTimeoutMs + 2 * CLOSE_GRACE_MS);
    const clean = (await Promise.all(outcomes)).every(Boolean);
    clearTimeout(limit);
    for (const s of stops) await s().catch((err: unknown) => log.warn({ err }, 'shutdown: a companion of the primary failed to stop'));
    log.info({ clean }, 'stopped');
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
