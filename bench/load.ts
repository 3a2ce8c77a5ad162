/**
 * A closed-loop load generator: `concurrency` workers each run `task` back to back. Each
 * window starts with a lead-in that is not counted (a longer warm-up before a phase's first
 * window); then only operations that finish inside the window count, so ramp-up and the tail
 * of in-flight work do not skew the rate.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.ts';
import { ownCpuMs } from './process-cpu.ts';

export interface WindowOptions {
  concurrency: number;
  /** run but not counted: until steady state */
  leadMs: number;
  durationMs: number;
  /** hard cap on started operations, a second bound besides time */
  maxOps?: number;
  /** `n` counts operations across windows of the same task, e.g. to pick a person */
  task: (n: number) => Promise<void>;
  /** the first `n` handed to `task` */
  firstOp?: number;
  /** CPU milliseconds used so far by other processes that serve this phase (the database, Redis) */
  externalCpu?: () => number;
}

export interface PhaseOptions extends Omit<WindowOptions, 'leadMs' | 'firstOp'> {
  /** before the first window: JIT, caches, connection pools */
  warmupMs: number;
  /** before each later window: only until `concurrency` operations are in flight again */
  rampMs: number;
  /** runs before each window, outside it */
  before?: () => Promise<void>;
}

/** One measured window. */
export interface Window {
  ok: number;
  errors: number;
  seconds: number;
  /** CPU time of this whole process (all threads) inside the window */
  cpuMs: number;
  /** CPU time of the other processes given by `externalCpu` inside the window (NaN without) */
  externalCpuMs: number;
  started: number;
  /** milliseconds, successful operations only */
  latencies: number[];
  errorSamples: string[];
}

export interface LoadResult {
  name: string;
  concurrency: number;
  windows: number;
  ok: number;
  errors: number;
  /** errors / (ok + errors) inside the windows */
  errorRate: number;
  seconds: number;
  perSecond: number;
  /** process CPU (all threads; not other processes such as PostgreSQL) per successful operation */
  cpuMsPerOp: number;
  /** CPU of the serving processes outside this one (PostgreSQL, Redis) per operation; NaN when not measured */
  externalCpuMsPerOp: number;
  /** process CPU per wall second: below the core count when others took the machine */
  coresUsed: number;
  /** per-window rates, to show how steady the machine was */
  windowRates: number[];
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** the first few distinct error messages */
  errorSamples: string[];
}

export async function runWindow(o: WindowOptions): Promise<Window> {
  const maxOps = o.maxOps ?? 1_000_000;
  const start = performance.now();
  const windowStart = start + o.leadMs;
  const windowEnd = windowStart + o.durationMs;
  let cpuStart = NaN;
  let cpuEnd = NaN;
  let extStart = NaN;
  let extEnd = NaN;
  const external = o.externalCpu ?? (() => NaN);
  const openTimer = setTimeout(() => {
    cpuStart = ownCpuMs();
    extStart = external();
  }, o.leadMs);
  const closeTimer = setTimeout(() => {
    cpuEnd = ownCpuMs();
    extEnd = external();
  }, o.leadMs + o.durationMs);
  const latencies: number[] = [];
  const samples = new Set<string>();
  let started = 0;
  let ok = 0;
  let errors = 0;

  async function worker(): Promise<void> {
    while (performance.now() < windowEnd && started < maxOps) {
      const n = (o.firstOp ?? 0) + started++;
      const t0 = performance.now();
      let failed = false;
      try {
        await o.task(n);
      } catch (err) {
        failed = true;
        if (samples.size < 5) samples.add(err instanceof Error ? err.message : String(err));
      }
      const t1 = performance.now();
      if (t1 < windowStart || t1 > windowEnd) continue;
      if (failed) errors++;
      else {
        ok++;
        latencies.push(t1 - t0);
      }
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, worker));
  clearTimeout(openTimer);
  clearTimeout(closeTimer);
  // shorter than asked only when maxOps stopped the run early
  const seconds = Math.max(0, Math.min(windowEnd, performance.now()) - windowStart) / 1000;
  const cpuMs = (Number.isNaN(cpuEnd) ? ownCpuMs() : cpuEnd) - cpuStart;
  const externalCpuMs = (Number.isNaN(extEnd) ? external() : extEnd) - extStart;
  return { ok, errors, seconds, cpuMs, externalCpuMs, started, latencies, errorSamples: [...samples] };
}

export function summarize(name: string, concurrency: number, windows: readonly Window[]): LoadResult {
  const ok = windows.reduce((s, w) => s + w.ok, 0);
  const errors = windows.reduce((s, w) => s + w.errors, 0);
  const seconds = windows.reduce((s, w) => s + w.seconds, 0);
  const cpuMs = windows.reduce((s, w) => s + w.cpuMs, 0);
  const externalCpuMs = windows.reduce((s, w) => s + w.externalCpuMs, 0);
  const latencies = windows.flatMap((w) => w.latencies).sort((a, b) => a - b);
  return {
    name,
    concurrency,
    windows: windows.length,
    ok,
    errors,
    errorRate: ok + errors === 0 ? 1 : errors / (ok + errors),
    seconds,
    perSecond: seconds > 0 ? ok / seconds : 0,
    cpuMsPerOp: ok > 0 ? cpuMs / ok : NaN,
    externalCpuMsPerOp: ok > 0 ? externalCpuMs / ok : NaN,
    coresUsed: seconds > 0 ? cpuMs / 1000 / seconds : 0,
    windowRates: windows.map((w) => (w.seconds > 0 ? w.ok / w.seconds : 0)),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    errorSamples: [...new Set(windows.flatMap((w) => w.errorSamples))].slice(0, 5),
  };
}

/** A phase measured over several windows, interleaved with others by the caller. */
export class Phase {
  private readonly windows: Window[] = [];
  private ops = 0;

  constructor(
    readonly name: string,
    private readonly options: PhaseOptions,
  ) {}

  async measure(): Promise<Window> {
    await this.options.before?.();
    const leadMs = this.windows.length ? this.options.rampMs : this.options.warmupMs;
    const w = await runWindow({ ...this.options, leadMs, firstOp: this.ops });
    this.ops += w.started;
    this.windows.push(w);
    return w;
  }

  result(): LoadResult {
    return summarize(this.name, this.options.concurrency, this.windows);
  }
}
