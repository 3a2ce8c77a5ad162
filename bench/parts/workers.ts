/**
 * Password logins and client-credentials grants per second with the service started as
 * `npm start` starts it with WORKERS=1 and with WORKERS=2 (node:cluster, one port; see
 * workers/cluster.ts), both running at once, windows alternating between them.
 */
import { startOwnRedis } from '../../test/support/own-redis.ts';
import type { Service } from '../service.ts';
import { interleave } from '../interleave.ts';
import { loginPhase } from '../phases/login.ts';
import { clientCredentialsPhase } from '../phases/token-endpoint.ts';
import type { PhaseTiming } from '../phases/timing.ts';
import type { LoadResult } from '../load.ts';
import { table } from '../report.ts';
import { startCluster, type Cluster } from '../workers/cluster.ts';

const ROUNDS = 3;
// windows longer than a login takes when the machine is busy, or none ends inside one
const LOGINS: PhaseTiming = { concurrency: 8, warmupMs: 5000, rampMs: 2000, durationMs: 6000 };
const TOKENS: PhaseTiming = { concurrency: 24, warmupMs: 2000, rampMs: 300, durationMs: 2000 };

export interface WorkersResult {
  rows: LoadResult[];
  lines: string[];
}

export async function runWorkers(service: Service): Promise<WorkersResult> {
  const clusters: Cluster[] = [];
  const redis = await startOwnRedis();
  try {
    for (const n of [1, 2]) clusters.push(await startCluster(service.setup, n, redis.url));
    const ids = service.idNumbers;
    const person = (n: number) => ids[n % ids.length]!;
    const logins = clusters.map((c) => loginPhase(LOGINS, c.issuer, service.client, person, `password login, ${c.workers} worker${c.workers > 1 ? 's' : ''}`));
    const grants = clusters.map((c) =>
      clientCredentialsPhase(TOKENS, { label: `${c.workers} worker${c.workers > 1 ? 's' : ''}`, issuer: c.issuer, clientId: service.client.clientId, secret: service.client.secret }),
    );
    await interleave(ROUNDS, [logins, grants]);
    const rows = [...logins, ...grants].map((p) => p.result());
    const [l1, l2, g1, g2] = rows as [LoadResult, LoadResult, LoadResult, LoadResult];
    return {
      rows,
      lines: [
        table(rows),
        `2 workers / 1: password logins ${(l2.perSecond / l1.perSecond).toFixed(2)}, client_credentials ${(g2.perSecond / g1.perSecond).toFixed(2)}` +
          ' (the load generator runs on the same 2 cores, as do PostgreSQL and Redis)',
      ],
    };
  } finally {
    for (const c of clusters) await c.close();
    await redis.close();
  }
}
