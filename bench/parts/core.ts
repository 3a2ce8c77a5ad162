/**
 * Throughput against yardsticks measured in the same run, in alternating rounds: password
 * logins (the full six-request flow) against the same flow on a bare oidc-provider that verifies
 * the same argon2id hash and stores nothing; client-credentials grants and introspections against
 * that bare provider; the raw argon2id rate, to split a login's CPU into hash and the rest.
 * With PostgreSQL + Redis, two more yardsticks: the bare provider keeping its models in Redis,
 * and that again doing the least the project's rules ask of a sign-in (bare-floor.ts).
 */
import type { LoadResult } from '../load.ts';
import type { Service } from '../service.ts';
import type { BareProvider } from '../bare-provider.ts';
import { processCpuMs } from '../process-cpu.ts';
import { interleave } from '../interleave.ts';
import { argon2Phase } from '../phases/argon2.ts';
import { loginPhase } from '../phases/login.ts';
import { clientCredentialsPhase, introspectionPhase, type TokenTarget } from '../phases/token-endpoint.ts';
import type { PhaseTiming } from '../phases/timing.ts';
import { ratioLine, ratioOf, table, type Ratio } from '../report.ts';

const HASHING_ROUNDS = 4;
const TOKEN_ROUNDS = 7;
// 8 in flight keeps libuv's 4 pool threads (the default, used by argon2) busy with work queued
// behind them; the machine's cores are the real limit either way.
const HASHING: PhaseTiming = { concurrency: 8, warmupMs: 2000, rampMs: 1000, durationMs: 3000 };
const TOKENS: PhaseTiming = { concurrency: 16, warmupMs: 1500, rampMs: 300, durationMs: 1500 };
export const LOGIN_TARGET = 0.85;
export const TOKEN_TARGET = 0.8;

export interface CoreResult {
  argon2Params: string;
  rows: LoadResult[];
  login: Ratio;
  /** bare storing in Redis / bare storing nothing, ours / bare storing in Redis, and the same for the floor (PostgreSQL + Redis only) */
  stored: Ratio[];
  tokens: Ratio[];
  ccPeak: number;
  lines: string[];
}

export async function runCore(service: Service, bare: BareProvider, bareInRedis?: BareProvider, floor?: BareProvider): Promise<CoreResult> {
  const ours: TokenTarget = { label: 'ours', issuer: service.issuer, clientId: service.client.clientId, secret: service.client.secret };
  const yardstick: TokenTarget = { label: 'bare oidc-provider', issuer: bare.issuer, clientId: bare.clientId, secret: bare.secret };
  const ids = service.idNumbers;
  const person = (n: number) => ids[n % ids.length]!;

  const argon = argon2Phase(HASHING);
  const login = loginPhase(HASHING, service.issuer, service.client, person, undefined, () => processCpuMs(['postgres', 'redis-server']));
  const bareLogin = loginPhase(HASHING, bare.issuer, bare.loginClient, person, 'same flow, same hash, bare oidc-provider');
  const redisLogin = bareInRedis
    ? loginPhase(HASHING, bareInRedis.issuer, bareInRedis.loginClient, person, 'the same, bare provider storing in Redis', () => processCpuMs(['redis-server']))
    : undefined;
  const floorLogin = floor
    ? loginPhase(HASHING, floor.issuer, floor.loginClient, person, 'the same in Redis, with the least a sign-in must do', () => processCpuMs(['postgres', 'redis-server']))
    : undefined;
  const ccOurs = clientCredentialsPhase(TOKENS, ours);
  const ccBare = clientCredentialsPhase(TOKENS, yardstick);
  const inOurs = introspectionPhase(TOKENS, ours);
  const inBare = introspectionPhase(TOKENS, yardstick);

  await interleave(HASHING_ROUNDS, [[login, bareLogin, ...(redisLogin ? [redisLogin] : []), ...(floorLogin ? [floorLogin] : []), argon.phase]]);
  await interleave(TOKEN_ROUNDS, [
    [ccOurs, ccBare],
    [inOurs, inBare],
  ]);

  const rows = [login, bareLogin, argon.phase, ccOurs, ccBare, inOurs, inBare].map((p) => p.result());
  const [l, bl, a, co, cb, io, ib] = rows as [LoadResult, LoadResult, LoadResult, LoadResult, LoadResult, LoadResult, LoadResult];
  const loginRatio = ratioOf('password logins: ours / bare flow with the same hash', l, bl);
  const rl = redisLogin?.result();
  const fl = floorLogin?.result();
  rows.splice(2, 0, ...(rl ? [rl] : []), ...(fl ? [fl] : []));
  // what keeping the provider's own state in a shared store costs by itself, what the least a
  // sign-in must do costs on top, and ours against each
  const stored = [
    ...(rl ? [ratioOf('password logins: bare storing in Redis / bare storing nothing', rl, bl), ratioOf('password logins: ours / bare storing in Redis', l, rl)] : []),
    ...(fl ? [ratioOf('password logins: the least a sign-in must do / bare storing nothing', fl, bl), ratioOf('password logins: ours / the least a sign-in must do', l, fl)] : []),
  ];
  const tokens = [ratioOf('client_credentials: ours / bare oidc-provider', co, cb), ratioOf('introspection: ours / bare oidc-provider', io, ib)];
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const lines = [
    `argon2id ${argon.params}`,
    table(rows),
    '',
    ratioLine(loginRatio, LOGIN_TARGET),
    ...stored.map((r) => ratioLine(r)),
    ...tokens.map((r) => ratioLine(r, TOKEN_TARGET)),
    `CPU per password login: argon2id ${fmt(a.cpuMsPerOp)} ms; the rest of ours ${fmt(l.cpuMsPerOp - a.cpuMsPerOp)} ms in this process` +
      ` + ${fmt(l.externalCpuMsPerOp)} ms in PostgreSQL and Redis; the rest of the bare flow ${fmt(bl.cpuMsPerOp - a.cpuMsPerOp)} ms`,
    "ratio = median of the per-round ratios; cpu ms/op = CPU of this process (all threads, the load generator included) per operation",
  ];
  return { argon2Params: argon.params, rows, login: loginRatio, stored, tokens, ccPeak: co.perSecond, lines };
}
