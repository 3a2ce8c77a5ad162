/**
 * `npm run bench`, one run, each part against what it is compared with in the same run:
 *  - core: password logins (full flow) against the same flow on a bare oidc-provider with the
 *    same argon2id hash, storing nothing and (on PostgreSQL + Redis) storing its models in Redis,
 *    and that again doing the least a sign-in must do under our rules (bare-floor.ts);
 *    client credentials and introspection against the bare provider;
 *  - latency: the token endpoint's p99 under open-loop load at half its peak;
 *  - cost per login (password and SMS): PostgreSQL statements and writes, Redis commands, Redis
 *    bytes per SSO session, on a PostgreSQL and a Redis the bench starts for itself
 *    (BENCH_COST=0 skips it);
 *  - workers: logins and grants with src/main.ts at WORKERS=1 and WORKERS=2 (PostgreSQL only, with
 *    a Redis of the bench's own; BENCH_WORKERS=0 skips it);
 *  - city: BENCH_PERSONS=1000000 seeds that many persons once (kept) and compares password
 *    logins with them against 10,000 (PostgreSQL only);
 *  - policy: how long a saved policy version takes to be in force on a second instance.
 * BENCH_PARTS=cost,latency (any of core, latency, cost, workers, city, policy; default all) runs only
 * those parts; latency without core first measures the token endpoint's peak on its own.
 * Prints the figures and one JSON line; exits non-zero when a phase had more than 1% errors.
 */
import os from 'node:os';
import { startService } from './service.ts';
import { startBareProvider } from './bare-provider.ts';
import { startStoredYardsticks, storesFromEnv } from './stored-yardsticks.ts';
import { closeAgent } from './http-request.ts';
import type { LoadResult } from './load.ts';
import { runCore } from './parts/core.ts';
import { tokenLatency, tokenLatencyOwnProcess, tokenPeak } from './parts/latency.ts';
import { runCost } from './parts/cost.ts';
import { costMissing } from './cost/cost-per-login.ts';
import { runWorkers } from './parts/workers.ts';
import { ownRedisMissing } from '../test/support/own-redis.ts';
import { runCity } from './parts/city.ts';
import { runPolicyPropagation } from './parts/policy-propagation.ts';

const PERSONS = 200;
const MAX_ERROR_RATE = 0.01;

const log = (line: string) => console.error(line);
const section = (title: string, lines: readonly string[]) => console.log(`\n== ${title}\n${lines.join('\n')}`);

const PARTS = ['core', 'latency', 'cost', 'workers', 'city', 'policy'] as const;
type Part = (typeof PARTS)[number];

function env(): { cityPersons: number; cost: boolean; workers: boolean; parts: ReadonlySet<Part> } {
  const raw = process.env.BENCH_PERSONS;
  const cityPersons = raw ? Number(raw) : 0;
  if (!Number.isInteger(cityPersons) || cityPersons < 0 || cityPersons > 60_000_000) throw new Error(`BENCH_PERSONS must be a whole number of persons, got ${raw}`);
  const named = (process.env.BENCH_PARTS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = named.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`BENCH_PARTS: unknown part ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  const parts = new Set<Part>(named.length ? (named as Part[]) : PARTS);
  return { cityPersons, cost: process.env.BENCH_COST !== '0', workers: process.env.BENCH_WORKERS !== '0', parts };
}

async function main(): Promise<void> {
  const opts = env();
  const stores = storesFromEnv();
  const shared = Boolean(stores);
  const pool = process.env.UV_THREADPOOL_SIZE ? `${process.env.UV_THREADPOOL_SIZE} (UV_THREADPOOL_SIZE)` : '4 (libuv default)';
  console.log(`Tongban ID bench: node ${process.version}, ${os.cpus().length} cores, libuv pool ${pool}, load average ${os.loadavg()[0]!.toFixed(1)}`);

  const { parts } = opts;
  const skipped = (part: Part) => (parts.has(part) ? undefined : 'not in BENCH_PARTS');
  // the cost part starts servers and a service of its own
  const needsService = parts.has('core') || parts.has('latency') || parts.has('workers') || parts.has('city') || parts.has('policy');
  if (!needsService) {
    await costOnly(opts.cost);
    return;
  }
  const service = await startService({ persons: PERSONS });
  const bare = await startBareProvider(service.secretHash);
  // the second and third yardsticks: the bare provider keeping its models in the same Redis as
  // ours, and that again doing the least the project's rules ask of a sign-in
  const stored = parts.has('core') && stores ? await startStoredYardsticks(service, stores) : undefined;
  const [bareInRedis, bareFloor] = [stored?.inRedis, stored?.floor];
  const json: Record<string, unknown> = { bench: 'tongban-id', node: process.version, cores: os.cpus().length, storage: service.backend };
  const measured: LoadResult[] = [];
  try {
    console.log(`service storage: ${service.backend}${shared ? '' : '  (set DATABASE_URL and REDIS_URL for PostgreSQL + Redis)'}`);
    console.log(`rate limits: scope 'ip' raised to ${service.ipScope.threshold} failures (all traffic is from 127.0.0.1); ${PERSONS} persons enrolled`);
    console.log('the load generator runs in this process, on the same cores as the service');

    const ours = { label: 'ours', issuer: service.issuer, clientId: service.client.clientId, secret: service.client.secret };
    let ccPeak: number | undefined;
    if (parts.has('core')) {
      const core = await runCore(service, bare, bareInRedis, bareFloor);
      section('throughput against yardsticks (alternating rounds)', core.lines);
      measured.push(...core.rows);
      json.core = { argon2: core.argon2Params, phases: strip(core.rows), login: core.login, stored: core.stored, tokens: core.tokens };
      ccPeak = core.ccPeak;
    } else section('throughput against yardsticks', [`skipped (${skipped('core')})`]);

    if (parts.has('latency')) {
      const latency = await tokenLatency(ours, ccPeak ?? (await tokenPeak(ours)));
      section('latency', latency.lines);
      json.latency = latency.result;
      if (shared) {
        const own = await tokenLatencyOwnProcess(service);
        section('latency, service and bare oidc-provider each in its own process', own.lines);
        json.latencyOwnProcess = own.result;
        json.latencyBareOwnProcess = own.bare;
      }
    } else section('latency', [`skipped (${skipped('latency')})`]);

    if (parts.has('cost')) json.cost = await costPart(opts.cost);
    else section('cost per login', [`skipped (${skipped('cost')})`]);

    if (!parts.has('workers')) section('workers', [`skipped (${skipped('workers')})`]);
    else if (!opts.workers) section('workers', ['skipped (BENCH_WORKERS=0)']);
    else if (!process.env.DATABASE_URL) section('workers', ['skipped: several processes need PostgreSQL (DATABASE_URL)']);
    else if (ownRedisMissing) section('workers', [`skipped: ${ownRedisMissing}`]);
    else {
      const workers = await runWorkers(service);
      section('workers: the service as npm start runs it, WORKERS=1 and WORKERS=2', workers.lines);
      measured.push(...workers.rows);
      json.workers = strip(workers.rows);
    }

    if (!parts.has('city')) section('city size', [`skipped (${skipped('city')})`]);
    else if (!opts.cityPersons) section('city size', ['skipped (BENCH_PERSONS=1000000 seeds a million persons once and compares logins with them against 10,000)']);
    else if (!process.env.DATABASE_URL) section('city size', ['skipped: seeding persons needs PostgreSQL (DATABASE_URL)']);
    else {
      const city = await runCity(opts.cityPersons, log);
      section('city size', city.lines);
      measured.push(city.town, city.city);
      json.city = { persons: city.persons, seedSeconds: city.seedSeconds, seededNow: city.seededNow, ratio: city.ratio, phases: strip([city.town, city.city]) };
    }

    // last: it saves policy versions (and restores the first) while nothing else runs
    if (parts.has('policy')) {
      const policy = await runPolicyPropagation(service);
      section('policy change reaching a second instance', policy.lines);
      json.policy = policy.result;
    } else section('policy change reaching a second instance', [`skipped (${skipped('policy')})`]);
  } finally {
    closeAgent();
    await bare.close();
    await bareInRedis?.close();
    await bareFloor?.close();
    await service.close();
  }

  const failing = measured.filter((r) => r.errorRate > MAX_ERROR_RATE);
  for (const r of failing) {
    console.log(`\n!!! ERRORS: ${r.name}: ${r.errors} of ${r.ok + r.errors} failed (${(r.errorRate * 100).toFixed(2)}%), e.g.:`);
    for (const s of r.errorSamples) console.log(`!!!   ${s}`);
  }
  json.errorsOk = failing.length === 0;
  console.log(`\n${JSON.stringify(json)}`);
  if (failing.length) process.exitCode = 1;
}

async function costPart(enabled: boolean): Promise<unknown> {
  if (!enabled) section('cost per login', ['skipped (BENCH_COST=0)']);
  else if (costMissing) section('cost per login', [`skipped: ${costMissing}`]);
  else {
    const cost = await runCost(log);
    section('cost per login', cost.lines);
    return cost.report;
  }
  return undefined;
}

async function costOnly(enabled: boolean): Promise<void> {
  const cost = await costPart(enabled);
  console.log(`\n${JSON.stringify({ bench: 'tongban-id', node: process.version, cores: os.cpus().length, cost })}`);
}

const strip = (rows: readonly LoadResult[]) => rows.map(({ errorSamples: _, ...r }) => r);

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
