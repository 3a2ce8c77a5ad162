import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Database } from '../../src/store/database.ts';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { pgliteImage } from './pglite-image.ts';

/**
 * One backend a contract test runs against. Every open() returns a fresh, empty, isolated
 * instance (new PGlite, new PostgreSQL schema, new Redis key prefix); dispose() closes all
 * of them and removes what they left behind.
 */
export interface Backend<T> {
  name: string;
  open(): Promise<T>;
  dispose(): Promise<void>;
}

const uniqueId = () => randomBytes(6).toString('hex');

/** Always embedded PGlite; PostgreSQL too when DATABASE_URL is set. */
export function databaseBackends(): Backend<Database>[] {
  const backends: Backend<Database>[] = [
    // a copy of a fresh cluster (what initdb would make), without running initdb each time
    tracked('pglite', async () => createPgliteDatabase({ image: await pgliteImage('empty') }), async () => {}),
  ];
  const url = process.env.DATABASE_URL;
  if (url) {
    const schemas: string[] = [];
    backends.push(
      tracked(
        'postgres',
        () => {
          const schema = `t_${uniqueId()}`;
          schemas.push(schema);
          return createPgDatabase({ url, schema, max: 5 });
        },
        async () => {
          if (schemas.length === 0) return;
          const admin = await createPgDatabase({ url, max: 1 });
          try {
            for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          } finally {
            await admin.close();
          }
        },
      ),
    );
  }
  return backends;
}

/** Always the in-process store; Redis too when REDIS_URL is set. */
export function ephemeralBackends(): Backend<EphemeralStore>[] {
  const backends: Backend<EphemeralStore>[] = [
    tracked('memory', async () => createMemoryStore({ prefix: `t:${uniqueId()}:` }), async () => {}),
  ];
  const url = process.env.REDIS_URL;
  if (url) {
    const base = `t:${uniqueId()}:`;
    backends.push(
      tracked(
        'redis',
        () => createRedisStore({ url, prefix: `${base}${uniqueId()}:` }),
        async () => {
          const admin = createClient({ url });
          await admin.connect();
          try {
            for await (const keys of admin.scanIterator({ MATCH: `${base}*`, COUNT: 500 })) {
              if (keys.length > 0) await admin.del(keys);
            }
          } finally {
            await admin.close();
          }
        },
      ),
    );
  }
  return backends;
}

function tracked<T extends { close(): Promise<void> }>(
  name: string,
  create: () => Promise<T>,
  cleanUp: () => Promise<void>,
): Backend<T> {
  const opened: T[] = [];
  return {
    name,
    async open() {
      const instance = await create();
      opened.push(instance);
      return instance;
    },
    async dispose() {
      // close() is idempotent, so instances a test closed itself are fine here.
      await Promise.all(opened.splice(0).map((instance) => instance.close()));
      await cleanUp();
    },
  };
}
