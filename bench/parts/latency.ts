/** p99 of the token endpoint (client credentials) under open-loop load at half its peak rate. */
import { openLoop, type OpenLoopResult } from '../open-loop.ts';
import { clientCredentials, type TokenTarget } from '../phases/token-endpoint.ts';

export const LATENCY_TARGET_MS = 20;
const SECONDS = 8;

export async function tokenLatency(target: TokenTarget, peak: number): Promise<{ result: OpenLoopResult; lines: string[] }> {
  const rate = Math.max(1, Math.round(peak / 2));
  const result = await openLoop(() => clientCredentials(target).then(() => undefined), rate, SECONDS);
  const f = (n: number) => n.toFixed(1);
  const met = result.p99Ms <= LATENCY_TARGET_MS && result.errors === 0;
  return {
    result,
    lines: [
      `token endpoint (client_credentials), open loop at ${rate}/s (half of the ${Math.round(peak)}/s peak above) for ${SECONDS} s: ` +
        `p50 ${f(result.p50Ms)} ms, p95 ${f(result.p95Ms)} ms, p99 ${f(result.p99Ms)} ms, max ${f(result.maxMs)} ms, ` +
        `${result.errors} errors  ${met ? 'met' : 'MISSED'} (target p99 <= ${LATENCY_TARGET_MS} ms)` +
        (result.maxLagMs > 5 ? `; the generator itself fell up to ${f(result.maxLagMs)} ms behind schedule` : ''),
    ],
  };
}
