/**
 * Cost per login, counted by the servers: the service runs on a PostgreSQL (with
 * pg_stat_statements) and a Redis of the bench's own, so the counts hold only its work. Logins
 * run one after another after a few untimed ones (caches, prepared pools), then the counters'
 * deltas are divided by the number of logins. The Redis bytes an SSO session holds are
 * MEMORY USAGE of its keys after the logins (see CostReport.sessionBytes).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startOwnPostgres, ownPostgresMissing } from '../../test/support/own-postgres.ts';
import { startOwnRedis, ownRedisMissing } from '../../test/support/own-redis.ts';
import { CITIZENS } from '../../src/sandbox/citizens.ts';
import { DEFAULT_SCOPES, type RateScope } from '../../src/policy/rate-limit.ts';
import { startService, type Service } from '../service.ts';
import { loginOnce } from '../phases/login.ts';
import { SMS_METHOD, smsLoginOnce } from '../phases/sms-login.ts';
import { isTransactionControl, isWrite, pgCounter, redisCounter, type StatementCount } from './store-counters.ts';

export interface LoginCost {
  method: string;
  logins: number;
  /** every statement, transaction control included */
  statements: number;
  transactions: number;
  writeStatements: number;
  rowsWritten: number;
  redisCommands: number;
  /** batches of commands sent and waited for (a pipeline or a MULTI is one; commands inside a script are none) */
  redisRoundTrips: number;
  redisByCommand: Record<string, number>;
  /** the statements of one login, most frequent first: calls per login and the text */
  topStatements: Array<{ perLogin: number; query: string }>;
}

export interface CostReport {
  costs: LoginCost[];
  /** Redis bytes of one SSO session: its Session key, uid index and device record, and its share of its person's session set */
  sessionBytes: number;
  sessionKeys: number;
  /** everything in Redis after the logins, per login (grants, tokens, consumed markers, limits) */
  leftPerLoginBytes: number;
}

export const costMissing = ownPostgresMissing || ownRedisMissing;

// every limit out of reach: repeated logins of a few people are not what the counts are about
const HIGH_SCOPES: Record<string, RateScope> = Object.fromEntries(Object.entries(DEFAULT_SCOPES).map(([n, s]) => [n, { ...s, threshold: 1_000_000 }]));

export async function measureCostPerLogin(logins: number, log: (line: string) => void): Promise<CostReport> {
  const pgServer = await startOwnPostgres();
  const redisServer = await startOwnRedis();
  let service: Service | undefined;
  try {
    // pg_stat_statements must be loaded at server start
    await execOnce(pgServer.url, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    await pgServer.stop();
    await pgServer.start();
    const pgc = await pgCounter(pgServer.url);
    const rc = await redisCounter(redisServer.url);
    try {
      service = await startService({ persons: 10, databaseUrl: pgServer.url, redisUrl: redisServer.url, rateScopes: HIGH_SCOPES });
      const s = service;
      const phones = CITIZENS.filter((c) => c.phone !== null).slice(0, 4);
      for (const c of phones) {
        await s.ctx.identity.enrol(c.idNumber, { name: c.name, phone: c.phone!, proofing: 'remote', credentials: [{ method: SMS_METHOD, identifier: c.phone! }] });
      }
      const password = (i: number) => loginOnce(s.issuer, s.client, s.idNumbers[i % s.idNumbers.length]!);
      const sms = (i: number) => smsLoginOnce(s.issuer, s.sandboxUrl, s.client, phones[i % phones.length]!.phone!);

      const costs: LoginCost[] = [];
      for (const [method, once] of [
        ['id-card-password', password],
        [SMS_METHOD, sms],
      ] as const) {
        for (let i = 0; i < 3; i++) await once(i);
        await sleep(300);
        await pgc.reset();
        await rc.reset();
        for (let i = 0; i < logins; i++) await once(i);
        // writes a login leaves for after its answer (audit chaining) land too
        await sleep(500);
        const roundTrips = await rc.roundTrips();
        const { statements } = await pgc.read();
        const commands = await rc.read();
        costs.push(summarise(method, logins, statements, commands, roundTrips));
        log(`  cost: ${method}: ${logins} logins counted`);
      }

      const sessions = await rc.memory('*oidc:Session:*');
      // its uid index, its device record, and its share of its person's session set
      let bytes = sessions.bytes;
      let keys = sessions.keys;
      for (const pattern of ['*oidc:uid:*', '*oidc:dev:*', '*oidc:as:*']) {
        const m = await rc.memory(pattern);
        bytes += m.bytes;
        keys += m.keys;
      }
      const all = await rc.memory('*');
      const total = 2 * (logins + 3);
      await pgc.close();
      await rc.close();
      return {
        costs,
        sessionBytes: sessions.keys ? bytes / sessions.keys : NaN,
        sessionKeys: sessions.keys ? keys / sessions.keys : NaN,
        leftPerLoginBytes: all.bytes / total,
      };
    } catch (err) {
      await pgc.close().catch(() => undefined);
      await rc.close().catch(() => undefined);
      throw err;
    }
  } finally {
    await service?.close();
    await redisServer.close();
    await pgServer.close();
  }
}

async function execOnce(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function summarise(method: string, logins: number, statements: StatementCount[], commands: Map<string, number>, roundTrips: number): LoginCost {
  const per = (n: number) => n / logins;
  const sum = (xs: StatementCount[], f: (s: StatementCount) => number) => xs.reduce((a, s) => a + f(s), 0);
  const writes = statements.filter((s) => isWrite(s.query));
  const redisTotal = [...commands.values()].reduce((a, b) => a + b, 0);
  return {
    method,
    logins,
    statements: per(sum(statements, (s) => s.calls)),
    transactions: per(sum(statements.filter((s) => /^BEGIN\b/i.test(s.query)), (s) => s.calls)),
    writeStatements: per(sum(writes, (s) => s.calls)),
    rowsWritten: per(sum(writes, (s) => s.rows)),
    redisCommands: per(redisTotal),
    redisRoundTrips: per(roundTrips),
    redisByCommand: Object.fromEntries([...commands.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)])),
    topStatements: statements
      .filter((s) => !isTransactionControl(s.query))
      .slice(0, 12)
      .map((s) => ({ perLogin: per(s.calls), query: s.query.slice(0, 110) })),
  };
}
