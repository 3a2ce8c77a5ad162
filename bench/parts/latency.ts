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

/** The same measure against the service started in a process of its own (one worker) on the bench's stores. */
export async function tokenLatencyOwnProcess(service: Service): Promise<{ result: OpenLoopResult; lines: string[] }> {
  const redis = await startOwnRedis();
  try {
    const cluster = await startCluster(service.setup, 1, redis.url);
    try {
      const target: TokenTarget = { label: 'own process', issuer: cluster.issuer, clientId: service.client.clientId, secret: service.client.secret };
      return await tokenLatency(target, await tokenPeak(target), 'service in its own process (WORKERS=1)');
    } finally {
      await cluster.close();
    }
  } finally {
    await redis.close();
  }
}
