import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * Embedded PostgreSQL, single process. Result types match the pg implementation
 * (see pg-database.ts): PGlite by default returns int8 as number or bigint depending on size
 * and date as a UTC-midnight Date, so both are returned as their text form instead.
 * Arrays of these types follow their element parser.
 *
 * PGlite runs one statement at a time: queries issued while a transaction runs wait for it
 * to finish. So inside transaction(fn), use only `tx`: awaiting `db.query` there would wait forever.
 */
export interface PgliteDatabase extends Database {
  /** a copy of the data directory (uncompressed tar), for `image` of another instance */
  dumpDataDir(): Promise<Blob>;
}

export async function createPgliteDatabase(opts: { dataDir?: string; image?: Blob }): Promise<PgliteDatabase> {
  if (opts.dataDir !== undefined) await mkdir(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    // a copy of another instance's data directory (dumpDataDir), instead of a new cluster
    ...(opts.image !== undefined ? { loadDataDir: opts.image } : {}),
    parsers: {
      [INT8_OID]: (value: string) => value,
      [DATE_OID]: (value: string) => value,
    },
  });

  let closing: Promise<void> | undefined;

  return {
    kind: 'pglite',
    query: (sql, params) => runQuery(pglite, sql, params),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((t) =>
        fn({
          query: (sql, params) => runQuery(t, sql, params),
          exec: async (sql) => {
            await t.exec(sql);
          },
        }),
      );
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
    close() {
      closing ??= pglite.closed ? Promise.resolve() : pglite.close();
      return closing;
    },
  };
}

async function runQuery<R>(target: PGlite | Transaction, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
  const result = await target.query<R>(sql, params);
  // rowCount is the command tag's count, as in pg (affectedRows is 0 for a SELECT).
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? 0 };
}
