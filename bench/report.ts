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

/** One ratio with its rounds; `target`, when it has one, says whether it was met. */
export function ratioLine(r: Ratio, target?: number): string {
  const rounds = r.perRound.map((x) => fmt(x, 2)).join(' ');
  const verdict = target === undefined ? '' : `  ${r.value >= target ? 'met   ' : 'MISSED'} (target >= ${target.toFixed(2)})`;
  return (
    `${r.label.padEnd(46)} ${fmt(r.value, 2).padStart(5)}${verdict}` +
    `   rounds: ${rounds}; all windows: ${fmt(r.overall, 2)}; by CPU per op: ${fmt(r.cpu, 2)}`
  );
}
