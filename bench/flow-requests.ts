/**
 * What each request of a password login costs, ours against the bare provider storing nothing
 * and, with DATABASE_URL and REDIS_URL set, against the bare provider keeping its models in that
 * Redis and that again doing the least our rules ask of a sign-in (bare-floor.ts). One login at
 * a time, the targets by turns; for each request, this process's CPU from its start to its
 * answer (the load generator's share included, the same for every target), median of the logins:
 *   npx tsx bench/flow-requests.ts [logins]
 * With one login at a time nothing else runs in the process, so a request's CPU is its own.
 * PostgreSQL's and Redis's CPU is not in it (bench/main-thread.ts measures those).
 */
import { CookieJar } from './browser-client.ts';
import { closeAgent, type RequestOptions } from './http-request.ts';
import { startService, METHOD, PASSWORD } from './service.ts';
import { startBareProvider } from './bare-provider.ts';
import { startStoredYardsticks, storesFromEnv } from './stored-yardsticks.ts';
import { ownCpuMs } from './process-cpu.ts';
import { finishFlow, startFlow, submit } from './phases/login.ts';
import { median } from './stats.ts';

const logins = Number(process.argv[2] ?? 300);
if (!Number.isInteger(logins) || logins < 10) throw new Error('usage: flow-requests.ts [logins], a whole number >= 10');

// /interaction/<uid>/method/x and /auth/<uid> name one request each, whatever the uid
const routeOf = (u: URL) => u.pathname.replace(/^\/interaction\/[^/]+/, '/interaction/:uid').replace(/^\/auth\/.+/, '/auth/:uid');

const samples = new Map<string, number[]>();
let target = '';
const note = (request: string, ms: number) => {
  const key = `${target}\0${request}`;
  const list = samples.get(key);
  if (list) list.push(ms);
  else samples.set(key, [ms]);
};

// every request of the flow but the code exchange goes through the cookie jar
const viaJar = CookieJar.prototype.request;
CookieJar.prototype.request = async function (this: CookieJar, url: string | URL, o: RequestOptions = {}) {
  const since = ownCpuMs();
  try {
    return await viaJar.call(this, url, o);
  } finally {
    note(`${o.method ?? 'GET'} ${routeOf(new URL(url))}`, ownCpuMs() - since);
  }
};

const service = await startService({ persons: 50 });
const bare = await startBareProvider(service.secretHash);
const stores = storesFromEnv();
const { inRedis, floor } = stores ? await startStoredYardsticks(service, stores) : {};
const targets = [
  { name: 'ours', issuer: service.issuer, client: service.client },
  { name: 'bare', issuer: bare.issuer, client: bare.loginClient },
  ...(inRedis ? [{ name: 'bare in Redis', issuer: inRedis.issuer, client: inRedis.loginClient }] : []),
  ...(floor ? [{ name: 'floor', issuer: floor.issuer, client: floor.loginClient }] : []),
];
try {
  for (let n = -20; n < logins; n++) {
    // the first 20 of each warm up (caches, JIT) and are not kept
    if (n === 0) samples.clear();
    // the order turns each time, so no target always follows the same one
    for (const t of n % 2 ? targets : [...targets].reverse()) {
      target = t.name;
      const flow = await startFlow(t.issuer, t.client, METHOD);
      const back = await submit(flow, flow.page, { id_number: service.idNumbers[Math.abs(n) % service.idNumbers.length]!, password: PASSWORD });
      const since = ownCpuMs();
      await finishFlow(flow, back);
      note('POST /token', ownCpuMs() - since);
    }
  }
  const requests = [...new Set([...samples.keys()].map((k) => k.split('\0')[1]!))];
  const names = targets.map((t) => t.name);
  const of = (t: string, r: string) => median(samples.get(`${t}\0${r}`) ?? []);
  const differences = names.slice(1).map((n) => `  ours - ${n}`);
  const f = (ms: number, width = 15) => ms.toFixed(2).padStart(width);
  const row = (label: string, values: number[]) =>
    // each target's figure, then ours less each yardstick's
    `${label.padEnd(48)}${values.map((v) => f(v)).join('')}${values.slice(1).map((v, i) => f(values[0]! - v, differences[i]!.length)).join('')}`;
  console.log(`CPU per request, median of ${logins} logins one at a time (ms)`);
  console.log(`${'request'.padEnd(48)}${names.map((n) => n.padStart(15)).join('')}${differences.join('')}`);
  const sums = names.map(() => 0);
  for (const r of requests) {
    const values = names.map((n, i) => {
      const v = of(n, r);
      sums[i]! += v;
      return v;
    });
    console.log(row(r, values));
  }
  console.log(row('sum of the medians', sums));
} finally {
  await floor?.close();
  await inRedis?.close();
  await bare.close();
  await service.close();
  closeAgent();
}
