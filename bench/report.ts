/** The printed table and ratio lines. */
import type { LoadResult } from './load.ts';
import { median } from './stats.ts';

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function table(rows: readonly LoadResult[]): string {
  const head = ['phase', 'conc', 'ok', 'errors', 'secs', 'per s', 'per window', 'p50 ms', 'p99 ms', 'cpu ms/op', 'cores'];
  const body = rows.map((r) => [
    r.name,
    String(r.concurrency),
    String(r.ok),
    r.errors ? `${r.errors} (${fmt(r.errorRate * 100, 2)}%)` : '0',
    fmt(r.seconds),
    fmt(r.perSecond),
    r.windowRates.map((x) => fmt(x)).join(' '),
    fmt(r.p50Ms),
    fmt(r.p99Ms),
    fmt(r.cpuMsPerOp, 2),
    fmt(r.coresUsed, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface Ratio {
  label: string;
  /** median of the per-round ratios: each round's pair ran back to back */
  value: number;
  perRound: number[];
  /** over all windows together */
  overall: number;
  /** ops per CPU-second of this process, a over b: what the ratio would be if CPU were the only limit */
  cpu: number;
}

export function ratioOf(label: string, a: LoadResult, b: LoadResult): Ratio {
  const perRound = a.windowRates.map((x, i) => x / b.windowRates[i]!);
  return { label, value: median(perRound), perRound, overall: a.perSecond / b.perSecond, cpu: b.cpuMsPerOp / a.cpuMsPerOp };
}

export function ratioLine(r: Ratio, target: number): string {
  const rounds = r.perRound.map((x) => fmt(x, 2)).join(' ');
  return (
    `${r.label.padEnd(46)} ${fmt(r.value, 2).padStart(5)}  ${r.value >= target ? 'met   ' : 'MISSED'} (target >= ${target.toFixed(2)})` +
    `   rounds: ${rounds}; all windows: ${fmt(r.overall, 2)}; by CPU per op: ${fmt(r.cpu, 2)}`
  );
}

/**
 * How close password logins can come to the raw argon2id rate on these cores. When every core
 * is busy, a login costs its argon2id hash plus everything else; a bare oidc-provider running
 * the same flow of pages with nothing stored and nothing checked gives the least that
 * "everything else" can be, so argon2 / (argon2 + bare flow), by CPU per operation, is the best
 * ratio any implementation on top of it could reach here (before PostgreSQL and Redis, whose
 * own processes are not in these figures).
 */
export interface LoginCeiling {
  argon2CpuMs: number;
  bareFlowCpuMs: number;
  oursBesidesArgon2CpuMs: number;
  /** PostgreSQL's and Redis's processes per login (on the same cores) */
  storageCpuMs: number;
  ceiling: number;
  oursByCpu: number;
  /** as oursByCpu, with PostgreSQL's and Redis's processes counted too */
  oursWithStorage: number;
}

export function loginCeiling(argon2: LoadResult, bareFlow: LoadResult, ours: LoadResult): LoginCeiling {
  const a = argon2.cpuMsPerOp;
  const b = bareFlow.cpuMsPerOp;
  return {
    argon2CpuMs: a,
    bareFlowCpuMs: b,
    oursBesidesArgon2CpuMs: ours.cpuMsPerOp - a,
    storageCpuMs: ours.externalCpuMsPerOp,
    ceiling: a / (a + b),
    oursByCpu: a / ours.cpuMsPerOp,
    oursWithStorage: a / (ours.cpuMsPerOp + (Number.isFinite(ours.externalCpuMsPerOp) ? ours.externalCpuMsPerOp : 0)),
  };
}

export function ceilingLines(c: LoginCeiling): string {
  return [
    `password login, CPU per operation: argon2id ${fmt(c.argon2CpuMs, 2)} ms; the rest of our login ${fmt(c.oursBesidesArgon2CpuMs, 2)} ms` +
      ` in this process and ${fmt(c.storageCpuMs, 2)} ms in PostgreSQL's and Redis's processes;`,
    `  the same flow on a bare oidc-provider (nothing stored, nothing checked) ${fmt(c.bareFlowCpuMs, 2)} ms,`,
    `  so no login on top of it can pass ${fmt(c.ceiling, 2)} of the raw argon2id rate on these cores, even storing nothing` +
      ` (ours by CPU: ${fmt(c.oursByCpu, 2)}; with PostgreSQL and Redis counted: ${fmt(c.oursWithStorage, 2)})`,
  ].join('\n');
}
