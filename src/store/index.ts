export type { Database, Queryable, QueryResult } from './database.ts';
export type { EphemeralStore } from './ephemeral.ts';
export { createPgDatabase } from './pg-database.ts';
export { createPgliteDatabase } from './pglite-database.ts';
export { openDatabase, postgresOptions } from './open-database.ts';
export { runMigrations } from './migrate.ts';
export { createMemoryStore } from './memory-store.ts';
export { createRedisStore } from './redis-store.ts';
export { openEphemeral } from './open-ephemeral.ts';
