/**
 * A graceful stop on SIGTERM or SIGINT: drain the listener within the deadline, then close what
 * the process opened (stores, background tasks, demo servers), then exit 0 when everything ended
 * in time and 1 when the deadline cut requests off or something would not close.
 */
import { log } from '../log.ts';
import type { Listener } from './listener.ts';

/** what closing the stores, timers and side servers may take after the requests have drained */
export const CLOSE_GRACE_MS = 5000;

export interface StopPlan {
  listener: Listener;
  /** for requests in flight (SHUTDOWN_TIMEOUT_MS) */
  timeoutMs: number;
  /** run in order once the listener has drained */
  closers: ReadonlyArray<{ name: string; close(): Promise<unknown> }>;
}

/** Drains and closes; resolves to the exit status. */
export async function stopGracefully(plan: StopPlan): Promise<number> {
  const started = performance.now();
  const drained = await plan.listener.drain(plan.timeoutMs);
  if (drained === 'forced') log.warn({ timeoutMs: plan.timeoutMs }, 'shutdown: requests still in flight at the deadline were cut off');
  let closedAll = true;
  for (const c of plan.closers) {
    const outcome = await within(c.close(), CLOSE_GRACE_MS);
    if (outcome !== 'done') {
      closedAll = false;
      log.warn({ part: c.name, outcome }, 'shutdown: could not close in time');
    }
  }
  const clean = drained === 'clean' && closedAll;
  log.info({ clean, ms: Math.round(performance.now() - started) }, 'stopped');
  return clean ? 0 : 1;
}

async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'failed' | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const, () => 'failed' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `stop` on the first SIGTERM or SIGINT and exits with the status it returns. A repeated
 * signal changes nothing (a terminal's Ctrl-C reaches cluster workers and their primary at once);
 * the deadline bounds the stop. A process that still has not ended by then is ended with 1.
 */
export function stopOnSignals(stop: () => Promise<number>, hardLimitMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ hardLimitMs }, 'shutdown: still running after its limit, exiting');
      process.exit(1);
    }, hardLimitMs).unref();
    void stop().then(
      (code) => process.exit(code),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
