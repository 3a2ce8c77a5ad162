/** What a bench run leaves in the shared PostgreSQL and Redis, removed when it closes. */
import { createClient } from 'redis';
import { createPgDatabase } from '../src/store/pg-database.ts';

export async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = await createPgDatabase({ url, max: 1 });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.close();
  }
}

/** Every key under `prefix`, by SCAN (KEYS would stop a shared Redis while it runs). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const r = createClient({ url });
  await r.connect();
  try {
    for await (const keys of r.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await r.del(keys);
  } finally {
    await r.close();
  }
}
