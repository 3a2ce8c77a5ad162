/**
 * Password logins in a city of `count` persons against a town of 10,000, on the same
 * PostgreSQL, Redis and process: each set lives in its own schema, seeded once and kept (keys in
 * data/bench-keys, which the blind indexes depend on), each served by its own instance of the
 * service; windows alternate between the two, and each login picks its person spread over the
 * whole set (see personFor), so the big one is read all over its indexes.
 */
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/env.ts';
import { createSecretHasher } from '../../src/crypto/password.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { startService, METHOD, PASSWORD, type Service } from '../service.ts';
import { ensureSeeded, type SeedResult } from './seed.ts';
import { idNumberAt, personFor } from './persons.ts';

export const TOWN = 10_000;
const KEYS_DIR = path.join(REPO_ROOT, 'data', 'bench-keys');

export interface Populated {
  service: Service;
  count: number;
  seed: SeedResult;
  /** the n-th login's ID number */
  person: (n: number) => string;
}

export async function startPopulated(count: number, log: (line: string) => void): Promise<Populated> {
  const service = await startService({ kept: { schema: `bench_city_${count}`, keysDir: KEYS_DIR } });
  try {
    const hasher = createSecretHasher();
    // a pool of its own: bulk statements run longer than the service's statement timeout
    const db = await createPgDatabase({ url: service.setup.databaseUrl!, schema: service.setup.schema!, max: 2, timeouts: { statementMs: 0, idleInTransactionMs: 0 } });
    const seed = await ensureSeeded(db, service.ctx.cipher, METHOD, count, () => hasher.hash(PASSWORD), log).finally(() => db.close());
    return { service, count, seed, person: (n) => idNumberAt(personFor(n, count)) };
  } catch (err) {
    await service.close();
    throw err;
  }
}
