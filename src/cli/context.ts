/**
 * What the commands share: opening the stores the way the service does, and plain-text tables.
 */
import type { Config } from '../config/env.ts';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../store/database.ts';
import { openDatabase, postgresOptions } from '../store/open-database.ts';
import { runMigrations } from '../store/migrate.ts';

export { EXIT } from './exit.ts';

export type Command = (args: readonly string[], config: Config) => Promise<number>;

// createAppContext insists on an authorities URL; no command calls an authority, so any
// unreachable address will do.
const UNUSED_AUTHORITIES_URL = 'http://127.0.0.1:9';

export async function withAppContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  // Loaded on demand: the provider and login methods take seconds to load, and most commands
  // need only the database.
  const { createAppContext } = await import('../app-context.ts');
  const ctx = await createAppContext({ ...config, authoritiesUrl: config.authoritiesUrl ?? UNUSED_AUTHORITIES_URL });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** The database with its schema up to date, as the service would open it. */
export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...postgresOptions(config.postgres) });
  try {
    await runMigrations(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Never the URL itself: it may carry a password. */
export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite (${config.dataDir})`;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
