import type { Database } from './database.ts';
import type { PgTimeouts } from './pg-database.ts';

/**
 * PostgreSQL when a URL is given, otherwise embedded PGlite (schema, pool size and timeouts
 * apply to PostgreSQL only: PGlite runs in this process, with nothing to wait for). Only the
 * backend in use is loaded: a process on PostgreSQL never loads PGlite, and the CLI on the
 * embedded database never loads the PostgreSQL driver.
 */
export async function openDatabase(opts: {
  url?: string;
  dataDir?: string;
  /** PGlite only: start from this dumped data directory */
  image?: Blob;
  schema?: string;
  max?: number;
  timeouts?: Partial<PgTimeouts>;
}): Promise<Database> {
  if (opts.url) {
    const { createPgDatabase } = await import('./pg-database.ts');
    return createPgDatabase({ url: opts.url, schema: opts.schema, max: opts.max, timeouts: opts.timeouts });
  }
  const { createPgliteDatabase } = await import('./pglite-database.ts');
  return createPgliteDatabase({ dataDir: opts.dataDir, image: opts.image });
}

/** The pool size and timeouts configured by PG_* variables (src/config/env.ts). */
export function postgresOptions(c: { connectTimeoutMs: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number; poolMax: number }) {
  return {
    max: c.poolMax,
    timeouts: { connectMs: c.connectTimeoutMs, statementMs: c.statementTimeoutMs, idleInTransactionMs: c.idleInTransactionTimeoutMs },
  };
}
