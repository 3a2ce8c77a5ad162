/**
 * p99 of the token endpoint (client credentials) under open-loop load at half its peak rate, in
 * two settings: the service in this process (its event loop shared with the load generator, so a
 * stall of either delays both), and the service in its own process as `npm start` runs it with
 * one worker (PostgreSQL + Redis only), the way production runs it, with the generator outside.
 */
import { openLoop, type OpenLoopResult } from '../open-loop.ts';
import { interleave } from '../interleave.ts';
import { clientCredentials, clientCredentialsPhase, type TokenTarget } from '../phases/token-endpoint.ts';
import { startCluster } from '../workers/cluster.ts';
import { startOwnRedis } from '../../test/support/own-redis.ts';
import type { Service } from '../service.ts';
import { startBareProcess } from '../bare-process.ts';
import { median } from '../stats.ts';

export const LATENCY_TARGET_MS = 20;
const SECONDS = 8;

/** The token endpoint's closed-loop peak (grants per second), for when the core part did not measure it. */
export async function tokenPeak(target: TokenTarget): Promise<number> {
  const phase = clientCredentialsPhase({ concurrency: 16, warmupMs: 1500, rampMs: 300, durationMs: 1500 }, target);
  await interleave(3, [[phase]]);
  return phase.result().perSecond;
}

export async function tokenLatency(target: TokenTarget, peak: number, setting = 'service in this process'): Promise<{ result: OpenLoopResult; lines: string[] }> {
  const rate = Math.max(1, Math.round(peak / 2));
  const result = await openLoop(() => clientCredentials(target).then(() => undefined), rate, SECONDS);
  const f = (n: number) => n.toFixed(1);
  const met = result.p99Ms <= LATENCY_TARGET_MS && result.errors === 0;
  return {
    result,
    lines: [
      `token endpoint (client_credentials), ${setting}, open loop at ${rate}/s (half of its ${Math.round(peak)}/s peak) for ${SECONDS} s: ` +
        `p50 ${f(result.p50Ms)} ms, p95 ${f(result.p95Ms)} ms, p99 ${f(result.p99Ms)} ms, max ${f(result.maxMs)} ms, ` +
        `${result.errors} errors  ${met ? 'met' : 'MISSED'} (target p99 <= ${LATENCY_TARGET_MS} ms)` +
        (result.maxLagMs > 5 ? `; the generator itself fell up to ${f(result.maxLagMs)} ms behind schedule` : ''),
    ],
  };
}

const OWN_ROUNDS = 5;

/**
 * The same measure against the service started in a process of its own (one worker) on the
 * bench's stores, and against the bare oidc-provider in a process of its own, in alternating
 * rounds: the bare provider at half its own peak and at our rate, and at our rate once more
 * keeping its tokens in a Redis as ours does (every grant a round trip, and a Redis busy on the
 * same two cores). What the bare provider's p99 is on this machine says how much of ours is the
 * machine (two cores shared by the generator, the service, PostgreSQL and Redis) and how much is
 * our work.
 */
export async function tokenLatencyOwnProcess(service: Service): Promise<{ result: OpenLoopResult; bare: OpenLoopResult; lines: string[] }> {
  const redis = await startOwnRedis();
  const bareProcess = await startBareProcess();
  const bareRedisProcess = await startBareProcess({ redisUrl: redis.url });
  try {
    const cluster = await startCluster(service.setup, 1, redis.url);
    try {
      const ours: TokenTarget = { label: 'own process', issuer: cluster.issuer, clientId: service.client.clientId, secret: service.client.secret };
      const bare: TokenTarget = { label: 'bare, own process', issuer: bareProcess.issuer, clientId: bareProcess.clientId, secret: bareProcess.secret };
      const bareRedis: TokenTarget = { label: 'bare in Redis, own process', issuer: bareRedisProcess.issuer, clientId: bareRedisProcess.clientId, secret: bareRedisProcess.secret };
      const oursRate = Math.max(1, Math.round((await tokenPeak(ours)) / 2));
      const bareRate = Math.max(1, Math.round((await tokenPeak(bare)) / 2));
      const at = (t: TokenTarget, rate: number) => openLoop(() => clientCredentials(t).then(() => undefined), rate, SECONDS);
      const runs: Array<{ ours: OpenLoopResult; bare: OpenLoopResult; bareAtOurs: OpenLoopResult; bareRedisAtOurs: OpenLoopResult }> = [];
      for (let i = 0; i < OWN_ROUNDS; i++) {
        runs.push({ ours: await at(ours, oursRate), bare: await at(bare, bareRate), bareAtOurs: await at(bare, oursRate), bareRedisAtOurs: await at(bareRedis, oursRate) });
      }
      const f = (n: number) => n.toFixed(1);
      const p99s = (k: keyof (typeof runs)[number]) => runs.map((r) => r[k].p99Ms);
      // the round whose p99 is the median (the nearest to it for an even count)
      const pick = (k: keyof (typeof runs)[number]) => {
        const m = median(p99s(k));
        return runs.reduce((best, r) => (Math.abs(r[k].p99Ms - m) < Math.abs(best[k].p99Ms - m) ? r : best))[k];
      };
      const result = pick('ours');
      const met = result.p99Ms <= LATENCY_TARGET_MS && runs.every((r) => r.ours.errors === 0);
      return {
        result,
        bare: pick('bare'),
        lines: [
          `token endpoint (client_credentials), open loop for ${SECONDS} s each, ${OWN_ROUNDS} alternating rounds, p99 per round:`,
          `  ours (own process, WORKERS=1) at ${oursRate}/s (half its peak): ${p99s('ours').map(f).join(' / ')} ms; median ${f(result.p99Ms)} ms (p50 ${f(result.p50Ms)}, max ${f(result.maxMs)})  ${met ? 'met' : 'MISSED'} (target p99 <= ${LATENCY_TARGET_MS} ms)`,
          `  bare oidc-provider (own process) at ${bareRate}/s (half its peak): ${p99s('bare').map(f).join(' / ')} ms; median ${f(median(p99s('bare')))} ms`,
          `  bare oidc-provider (own process) at ${oursRate}/s (our rate): ${p99s('bareAtOurs').map(f).join(' / ')} ms; median ${f(median(p99s('bareAtOurs')))} ms`,
          `  bare oidc-provider keeping its tokens in Redis (own process) at ${oursRate}/s (our rate): ${p99s('bareRedisAtOurs').map(f).join(' / ')} ms; median ${f(median(p99s('bareRedisAtOurs')))} ms`,
          `  errors: ours ${runs.reduce((n, r) => n + r.ours.errors, 0)}, bare ${runs.reduce((n, r) => n + r.bare.errors + r.bareAtOurs.errors + r.bareRedisAtOurs.errors, 0)}`,
        ],
      };
    } finally {
      await cluster.close();
    }
  } finally {
    await bareProcess.close();
    await bareRedisProcess.close();
    await redis.close();
  }
}
