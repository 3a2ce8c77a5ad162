import pg from 'pg';
import { StoreUnavailable } from '../errors.ts';
import { log } from '../log.ts';
import type { Database, Queryable, QueryResult } from './database.ts';
import { pgFailure } from './pg-unavailable.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const DATE_OID = 1082;
const DATE_ARRAY_OID = 1182;
const TEXT_ARRAY_OID = 1009;

/**
 * Result types, shared with the PGlite implementation:
 * - int8 / bigint / bigserial / count(*) come back as strings (pg's default: they may exceed 2^53);
 * - numeric comes back as a string; int2/int4/float as numbers;
 * - timestamptz comes back as a Date;
 * - date comes back as 'YYYY-MM-DD' (a calendar day has no time zone; a Date would invent one);
 * - text[] / uuid[] as string arrays, json/jsonb parsed.
 * Parameters: a plain object goes into a jsonb column as-is, but pass arrays and scalars for
 * jsonb as JSON.stringify(value): pg turns a JS array parameter into a PostgreSQL array literal.
 */
// pg-types only declares the scalar built-in OIDs, though it registers the array ones too.
const builtinParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === DATE_ARRAY_OID) return builtinParser(TEXT_ARRAY_OID, 'text');
    return builtinParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Milliseconds; 0 turns one off. */
export interface PgTimeouts {
  /** opening a connection, or waiting for a free one in a full pool */
  connectMs: number;
  /** one statement (the server cancels it) */
  statementMs: number;
  /** a transaction left open between statements (the server ends the session) */
  idleInTransactionMs: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { connectMs: 3000, statementMs: 5000, idleInTransactionMs: 10000 };

// A server that is frozen or unreachable cannot cancel anything: the client stops waiting for a
// reply this long after the statement timeout would have fired, and drops the connection.
const READ_GRACE_MS = 1000;

export async function createPgDatabase(opts: { url: string; schema?: string; max?: number; timeouts?: Partial<PgTimeouts> }): Promise<Database> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new Error(`invalid schema name: ${JSON.stringify(opts.schema)}`);
  }
  const t = { ...DEFAULT_PG_TIMEOUTS, ...opts.timeouts };
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    types,
    keepAlive: true,
    ...(t.connectMs > 0 ? { connectionTimeoutMillis: t.connectMs } : {}),
    ...(t.statementMs > 0 ? { statement_timeout: t.statementMs, query_timeout: t.statementMs + READ_GRACE_MS } : {}),
    ...(t.idleInTransactionMs > 0 ? { idle_in_transaction_session_timeout: t.idleInTransactionMs } : {}),
    ...(opts.schema !== undefined ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client losing its connection emits on the pool; unhandled, that would kill the process.
  pool.on('error', (err) => {
    log.warn({ store: 'postgres', err }, 'postgres idle connection lost');
  });

  try {
    if (opts.schema !== undefined) {
      await createSchema(pool, opts.schema);
    } else {
      // Fail at start-up rather than on the first request.
      await pool.query('SELECT 1');
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw pgFailure(err);
  }

  let closing: Promise<void> | undefined;

  return {
    kind: 'postgres',
    query: (sql, params) => runQuery(pool, sql, params),
    // Without parameters pg uses the simple query protocol, which accepts several statements.
    exec: async (sql) => {
      await pool.query(sql).catch(rethrow);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch(rethrow);
      try {
        await client.query('BEGIN').catch(rethrow);
        const tx: Queryable = {
          query: (sql, params) => runQuery(client, sql, params),
          exec: async (sql) => {
            await client.query(sql).catch(rethrow);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT').catch(rethrow);
        client.release();
        return result;
      } catch (err) {
        if (err instanceof StoreUnavailable && err.store === 'postgres') {
          // The connection is gone or stuck: a ROLLBACK would only wait again. Dropping the
          // connection makes the server roll back whatever it had.
          client.release(err);
          throw err;
        }
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackErr) {
          // The connection is in an unknown state: destroy it instead of returning it to the pool.
          client.release(rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr)));
        }
        throw err;
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

async function runQuery<R>(target: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
  const result = await target.query(sql, params).catch(rethrow);
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

function rethrow(err: unknown): never {
  throw pgFailure(err);
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Two starters creating the same schema at once: the loser sees a unique violation.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}
