/**
 * Open-loop load: requests start at a fixed rate whatever the earlier ones are doing, as
 * independent clients would send them, so a slow answer cannot hold back the next request and
 * hide its own delay (closed-loop load does: "coordinated omission"). Latency is measured from
 * each request's scheduled start, or from when it was sent if the coarse timer let it go a
 * little early (so an early start never shortens a latency).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './stats.ts';

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** how far behind schedule the generator itself fell at worst (its own lateness, not the service's) */
  maxLagMs: number;
}

export async function openLoop(task: () => Promise<void>, rate: number, seconds: number, warmupSeconds = 1): Promise<OpenLoopResult> {
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const warmEnd = start + warmupSeconds * 1000;
  const total = Math.floor((warmupSeconds + seconds) * rate);
  const latencies: number[] = [];
  let pending = 0;
  let drained: () => void = () => undefined;
  let errors = 0;
  let sent = 0;
  let maxLag = 0;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    // timers are coarse: sleep only when far enough ahead, otherwise start now
    if (wait > 2) await sleep(wait - 1);
    const now = performance.now();
    const counted = due >= warmEnd;
    if (counted) maxLag = Math.max(maxLag, now - due);
    pending++;
    const from = Math.min(due, now);
    task().then(
      () => {
        if (counted) latencies.push(performance.now() - from);
      },
      () => {
        if (counted) errors++;
      },
    ).finally(() => {
      if (--pending === 0) drained();
    });
    if (counted) sent++;
  }
  if (pending > 0) await new Promise<void>((r) => (drained = r));
  latencies.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    sent,
    ok: latencies.length,
    errors,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? NaN,
    maxLagMs: maxLag,
  };
}
