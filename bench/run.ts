/**
 * `npm run bench`: throughput of password logins, client-credentials grants and
 * introspections, each against its yardstick (raw argon2id; a bare oidc-provider) measured in
 * the same run, and the same login flow on the bare oidc-provider with nothing checked, which
 * bounds how close any login can come to the raw argon2id rate. Phases run one at a time; each is measured in a few short windows, alternating
 * with its yardstick, so load that comes and goes on the machine hits both sides alike.
 * Exits non-zero when a phase had more than 1% errors.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadResult, Phase } from './load.ts';
import { startService } from './service.ts';
import { startBareProvider } from './bare-provider.ts';
import { closeAgent } from './http-request.ts';
import { processCpuMs } from './process-cpu.ts';
import { argon2Phase } from './phases/argon2.ts';
import { loginPhase } from './phases/login.ts';
import { clientCredentialsPhase, introspectionPhase, type TokenTarget } from './phases/token-endpoint.ts';
import type { PhaseTiming } from './phases/timing.ts';
import { ceilingLines, loginCeiling, ratioLine, ratioOf, table } from './report.ts';

const PERSONS = 200;
// Many short windows rather than one long one: load from other work on the machine comes and
// goes, and a ratio of two windows measured back to back is steadier than one of two long runs.
const HASHING_ROUNDS = 4;
const TOKEN_ROUNDS = 9;
// 8 in flight keeps libuv's 4 pool threads (the default, used by both argon2 phases) busy
// with work queued behind them; the machine's cores are the real limit either way.
const HASHING: PhaseTiming = { concurrency: 8, warmupMs: 2000, rampMs: 1000, durationMs: 3000 };
const TOKENS: PhaseTiming = { concurrency: 16, warmupMs: 1500, rampMs: 300, durationMs: 1500 };
const MAX_ERROR_RATE = 0.01;
const TARGET = 0.8;

// lets the previous window's stragglers (in-flight requests, deferred writes) drain first
const settle = () => sleep(200);

/** Measures each group in rounds, A B C then C B A, … so a linear drift cancels out. */
async function interleave(rounds: number, groups: ReadonlyArray<readonly Phase[]>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const group of groups) {
      for (const p of round % 2 ? [...group].reverse() : group) {
        const w = await p.measure();
        console.error(`  round ${round + 1}: ${p.name}: ${(w.ok / w.seconds).toFixed(1)}/s${w.errors ? `, ${w.errors} errors` : ''}`);
        await settle();
      }
    }
  }
}

async function main(): Promise<void> {
  const pool = process.env.UV_THREADPOOL_SIZE ? `${process.env.UV_THREADPOOL_SIZE} (UV_THREADPOOL_SIZE)` : '4 (libuv default)';
  console.log(`Tongban ID bench: node ${process.version}, ${os.cpus().length} cores, libuv pool ${pool}, load average ${os.loadavg()[0]!.toFixed(1)}`);

  const setupStart = Date.now();
  const service = await startService(PERSONS);
  const bare = await startBareProvider();
  let exitCode = 0;
  try {
    console.log(`service storage: ${service.backend}${process.env.DATABASE_URL ? '' : '  (set DATABASE_URL and REDIS_URL for PostgreSQL + Redis)'}`);
    console.log(
      `rate limits: scope 'ip' raised to ${service.ipScope.threshold} failures (all traffic is from 127.0.0.1); scope 'id' as in production; ${PERSONS} persons enrolled`,
    );
    console.log(
      `set-up took ${((Date.now() - setupStart) / 1000).toFixed(1)} s; phases alternate with their yardstick in rounds: ` +
        `argon2/login ${HASHING_ROUNDS} x ${HASHING.durationMs / 1000} s, tokens ${TOKEN_ROUNDS} x ${TOKENS.durationMs / 1000} s ` +
        `(warm-up before the first window, a short ramp before the others)\n`,
    );

    const ours: TokenTarget = { label: 'ours', issuer: service.issuer, clientId: service.client.clientId, secret: service.client.secret };
    const yardstick: TokenTarget = { label: 'bare oidc-provider', issuer: bare.issuer, clientId: bare.clientId, secret: bare.secret };

    const argon = argon2Phase(HASHING);
    const login = loginPhase(HASHING, service.issuer, service.client, service.idNumbers, undefined, () =>
      processCpuMs(['postgres', 'redis-server']),
    );
    const bareLogin = loginPhase(HASHING, bare.issuer, bare.loginClient, service.idNumbers, 'login flow, nothing checked (bare)');
    const ccOurs = clientCredentialsPhase(TOKENS, ours);
    const ccBare = clientCredentialsPhase(TOKENS, yardstick);
    const inOurs = introspectionPhase(TOKENS, ours);
    const inBare = introspectionPhase(TOKENS, yardstick);

    await interleave(HASHING_ROUNDS, [[argon.phase, login, bareLogin]]);
    await interleave(TOKEN_ROUNDS, [
      [ccOurs, ccBare],
      [inOurs, inBare],
    ]);

    const rows = [argon.phase, login, bareLogin, ccOurs, ccBare, inOurs, inBare].map((p) => p.result());
    const [a, l, bl, co, cb, io, ib] = rows as [LoadResult, LoadResult, LoadResult, LoadResult, LoadResult, LoadResult, LoadResult];
    const ratios = [
      ratioOf('password logins / raw argon2id hashes', l, a),
      ratioOf('client_credentials: ours / bare oidc-provider', co, cb),
      ratioOf('introspection: ours / bare oidc-provider', io, ib),
    ];

    console.log(`\nargon2id ${argon.params}`);
    console.log(table(rows));
    console.log('');
    for (const r of ratios) console.log(ratioLine(r, TARGET));
    const ceiling = loginCeiling(a, bl, l);
    console.log(ceilingLines(ceiling));
    console.log(
      'ratio = median of the per-round ratios; cpu ms/op = CPU of this process (all threads, including the load generator,\n' +
        'not PostgreSQL or Redis) per operation; cores = the CPU this process got, out of the machine\'s ' + os.cpus().length,
    );

    const failing = rows.filter((r) => r.errorRate > MAX_ERROR_RATE);
    for (const r of failing) {
      console.log(`\n!!! ERRORS: ${r.name}: ${r.errors} of ${r.ok + r.errors} failed (${(r.errorRate * 100).toFixed(2)}%), e.g.:`);
      for (const s of r.errorSamples) console.log(`!!!   ${s}`);
    }
    if (failing.length) exitCode = 1;

    console.log(
      JSON.stringify({
        bench: 'tongban-id',
        node: process.version,
        cores: os.cpus().length,
        threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
        loadAverage: os.loadavg()[0],
        storage: service.backend,
        argon2: argon.params,
        ipRateLimitRaised: true,
        phases: rows.map(({ errorSamples: _, ...r }) => r),
        ratios: Object.fromEntries(ratios.map(({ label, ...r }) => [label, r])),
        target: TARGET,
        targetsMet: ratios.every((r) => r.value >= TARGET),
        loginCeiling: ceiling,
        errorsOk: failing.length === 0,
      }),
    );
  } finally {
    closeAgent();
    await bare.close();
    await service.close();
  }
  process.exitCode = exitCode;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
