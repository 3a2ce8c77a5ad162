/**
 * What one PostgreSQL and one Redis did, from the servers' own counters: pg_stat_statements
 * (calls and rows per statement) and INFO commandstats (calls per command). Both servers are
 * the bench's own, so nobody else's work is in the counts.
 */
import pg from 'pg';
import { createClient } from 'redis';

export interface StatementCount {
  query: string;
  calls: number;
  rows: number;
}

export interface PgCounts {
  statements: StatementCount[];
}

/** Counting starts at reset(); statements about the counters themselves are left out. */
export async function pgCounter(url: string): Promise<{ reset(): Promise<void>; read(): Promise<PgCounts>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return {
    async reset() {
      await client.query('SELECT pg_stat_statements_reset()');
    },
    async read() {
      const { rows } = await client.query<{ query: string; calls: string; rows: string }>(
        `SELECT query, calls::text, rows::text FROM pg_stat_statements
          WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC`,
      );
      return { statements: rows.map((r) => ({ query: r.query.replace(/\s+/g, ' ').trim(), calls: Number(r.calls), rows: Number(r.rows) })) };
    },
    close: () => client.end(),
  };
}

export const isWrite = (query: string) => /^(INSERT|UPDATE|DELETE|MERGE)\b/i.test(query) || /^WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b/i.test(query);
export const isTransactionControl = (query: string) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(query);

const OURS = new Set(['info', 'config|resetstat', 'memory|usage', 'scan', 'client|setname', 'hello', 'select', 'ping']);

/** Redis commands by name since reset(), the counters' own left out. */
export async function redisCounter(url: string): Promise<{
  reset(): Promise<void>;
  read(): Promise<Map<string, number>>;
  /**
   * Read events since reset() (INFO stats total_reads_processed), less the counter's own: each is
   * one batch of commands a client sent and waited for, so for one client at a time it counts
   * round trips (a pipeline is one, a command inside a script none)
   */
  roundTrips(): Promise<number>;
  /** MEMORY USAGE of every key matching `pattern`: count and bytes */
  memory(pattern: string): Promise<{ keys: number; bytes: number }>;
  close(): Promise<void>;
}> {
  const r = createClient({ url });
  await r.connect();
  const readsOf = async () => Number(/total_reads_processed:(\d+)/.exec(await r.info('stats'))?.[1] ?? NaN);
  return {
    async reset() {
      await r.configResetStat();
    },
    // the reset itself and this INFO are the counter's own two reads
    roundTrips: async () => (await readsOf()) - 2,
    async read() {
      const calls = new Map<string, number>();
      for (const line of (await r.info('commandstats')).split('\n')) {
        const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
        if (m && !OURS.has(m[1]!)) calls.set(m[1]!, Number(m[2]));
      }
      return calls;
    },
    async memory(pattern) {
      let keys = 0;
      let bytes = 0;
      for await (const batch of r.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
        for (const key of batch) {
          keys++;
          bytes += (await r.memoryUsage(key, { SAMPLES: 0 })) ?? 0;
        }
      }
      return { keys, bytes };
    },
    close: () => r.close(),
  };
}
