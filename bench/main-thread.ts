/**
 * What a password login costs the machine, ours against the bare provider storing nothing, in
 * alternating rounds: main-thread time (event-loop utilisation; the load generator's included),
 * this process's CPU (the hash's pool threads included) and PostgreSQL's and Redis's CPU, per login:
 *   npx tsx bench/main-thread.ts [rounds] [seconds] [concurrency]
 * With one login at a time the figures are steadier than under load, and a change's effect on
 * each login's own work shows through; under load (8) the main thread is busy nine tenths of the
 * time and the two cores are used up, the hash threads' share included.
 */
import { performance } from 'node:perf_hooks';
import { startService } from './service.ts';
import { startBareProvider } from './bare-provider.ts';
import { closeAgent } from './http-request.ts';
import { runWindow } from './load.ts';
import { loginOnce } from './phases/login.ts';
import { processCpuMs } from './process-cpu.ts';

const [rounds, seconds, concurrency] = [3, 6, 8].map((fallback, i) => {
  const n = Number(process.argv[2 + i] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error('usage: main-thread.ts [rounds] [seconds] [concurrency], each a whole number >= 1');
  return n;
}) as [number, number, number];
const service = await startService({ persons: 200 });
const bare = await startBareProvider(service.secretHash);
const ids = service.idNumbers;
const targets = [
  { name: 'ours', issuer: service.issuer, client: service.client },
  { name: 'bare', issuer: bare.issuer, client: bare.loginClient },
];
const external = () => processCpuMs(['postgres', 'redis-server']);
const totals = new Map<string, { busy: number; ok: number; cpu: number; ext: number; seconds: number }>();
const fmt = (s: { busy: number; ok: number; cpu: number; ext: number; seconds: number }) =>
  `${(s.ok / s.seconds).toFixed(1)}/s, main thread ${(s.busy / s.ok).toFixed(2)} ms, process CPU ${(s.cpu / s.ok).toFixed(2)} ms, PostgreSQL + Redis ${(s.ext / s.ok).toFixed(2)} ms per login`;
try {
  for (let r = 0; r < rounds; r++) {
    for (const t of r % 2 ? [...targets].reverse() : targets) {
      const task = (n: number) => loginOnce(t.issuer, t.client, ids[n % ids.length]!);
      await runWindow({ concurrency, leadMs: 0, durationMs: 1000, task });
      const elu = performance.eventLoopUtilization();
      const w = await runWindow({ concurrency, leadMs: 0, durationMs: seconds * 1000, task, externalCpu: external });
      const s = { busy: performance.eventLoopUtilization(elu).active, ok: w.ok, cpu: w.cpuMs, ext: w.externalCpuMs, seconds: w.seconds };
      const sum = totals.get(t.name) ?? { busy: 0, ok: 0, cpu: 0, ext: 0, seconds: 0 };
      totals.set(t.name, { busy: sum.busy + s.busy, ok: sum.ok + s.ok, cpu: sum.cpu + s.cpu, ext: sum.ext + s.ext, seconds: sum.seconds + s.seconds });
      console.log(`round ${r + 1} ${t.name}: ${fmt(s)}`);
    }
  }
  for (const [name, s] of totals) console.log(`${name}: ${fmt(s)}`);
} finally {
  closeAgent();
  await bare.close();
  await service.close();
}
