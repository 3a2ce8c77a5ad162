import type { Database } from './database.ts';
import { createPgDatabase } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

/** PostgreSQL when a URL is given, otherwise embedded PGlite (schema applies to PostgreSQL only). */
export function openDatabase(opts: { url?: string; dataDir?: string; schema?: string }): Promise<Database> {
  if (opts.url) return createPgDatabase({ url: opts.url, schema: opts.schema });
  return createPgliteDatabase({ dataDir: opts.dataDir });
}
