import type { Database } from './database.ts';
import { createPgDatabase, type PgTimeouts } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

/**
 * PostgreSQL when a URL is given, otherwise embedded PGlite (schema, pool size and timeouts
 * apply to PostgreSQL only: PGlite runs in this process, with nothing to wait for).
 */
export function openDatabase(opts: {
  url?: string;
  dataDir?: string;
  /** PGlite only: start from this dumped data directory */
  image?: Blob;
  schema?: string;
  max?: number;
  timeouts?: Partial<PgTimeouts>;
}): Promise<Database> {
  if (opts.url) return createPgDatabase({ url: opts.url, schema: opts.schema, max: opts.max, timeouts: opts.timeouts });
  return createPgliteDatabase({ dataDir: opts.dataDir, image: opts.image });
}

/** The pool size and timeouts configured by PG_* variables (src/config/env.ts). */
export function postgresOptions(c: { connectTimeoutMs: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number; poolMax: number }) {
  return {
    max: c.poolMax,
    timeouts: { connectMs: c.connectTimeoutMs, statementMs: c.statementTimeoutMs, idleInTransactionMs: c.idleInTransactionTimeoutMs },
  };
}
