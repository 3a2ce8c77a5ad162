/**
 * Where a password login's CPU goes: runs logins (8 in flight) against our service or the bare
 * provider for a while, or client-credentials grants (16 in flight) against ours (`cc`), to be
 * profiled and summarised:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-login.ts [ours|bare|cc] [seconds]
 *   npx tsx bench/cpuprofile-top.ts /tmp/prof/<file>.0.001.cpuprofile FROM TO   (the window it prints)
 * (the main thread's profile is the one numbered .0.001; tsx's loader thread writes another).
 * BENCH_CONCURRENCY=n changes how many are in flight: with 1 or 2 the machine is not saturated,
 * so a login's own work is not mixed with time spent waiting for a core.
 * The load generator runs in the same process and shows in the profile (bench/ files, node:http).
 */
import { startService } from './service.ts';
import { startBareProvider } from './bare-provider.ts';
import { closeAgent } from './http-request.ts';
import { runWindow } from './load.ts';
import { loginOnce } from './phases/login.ts';
import { clientCredentials } from './phases/token-endpoint.ts';

const [target = 'ours', seconds = '20'] = process.argv.slice(2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? (target === 'cc' ? 16 : 8));
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new Error('BENCH_CONCURRENCY: a whole number from 1 to 256');
const service = await startService({ persons: 200 });
const bare = await startBareProvider(service.secretHash);
try {
  const [issuer, client] = target === 'bare' ? [bare.issuer, bare.loginClient] : [service.issuer, service.client];
  const ids = service.idNumbers;
  const us = () => Number(process.hrtime.bigint() / 1000n);
  const from = us() + 2_000_000;
  const cc = { label: 'ours', issuer: service.issuer, clientId: service.client.clientId, secret: service.client.secret };
  const w = await runWindow({
    concurrency,
    leadMs: 2000,
    durationMs: Number(seconds) * 1000,
    task: target === 'cc' ? () => clientCredentials(cc).then(() => undefined) : (n) => loginOnce(issuer, client, ids[n % ids.length]!),
  });
  console.log(`${target}: ${w.ok} ${target === 'cc' ? 'grants' : 'logins'} in ${w.seconds.toFixed(1)} s, ${w.errors} errors, ${(w.cpuMs / w.ok).toFixed(1)} ms CPU each; window ${from} ${us()}`);
} finally {
  closeAgent();
  await bare.close();
  await service.close();
}
