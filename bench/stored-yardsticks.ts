/**
 * The yardsticks that keep state where ours does: the bare provider keeping its models in the
 * bench's Redis, and that again doing the least our rules ask of a sign-in (bare-floor.ts), the
 * floor's persons being the service's own with the same password hash.
 */
import { startBareProvider, type BareProvider } from './bare-provider.ts';
import { startFloor } from './bare-floor.ts';
import type { Service } from './service.ts';

export interface Stores {
  databaseUrl: string;
  redisUrl: string;
}

/** DATABASE_URL and REDIS_URL when both are set: the bench then runs on PostgreSQL + Redis. */
export function storesFromEnv(): Stores | undefined {
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = process.env;
  return databaseUrl && redisUrl ? { databaseUrl, redisUrl } : undefined;
}

export async function startStoredYardsticks(
  service: Pick<Service, 'idNumbers' | 'secretHash'>,
  stores: Stores,
): Promise<{ inRedis: BareProvider; floor: BareProvider }> {
  const inRedis = await startBareProvider(service.secretHash, { redisUrl: stores.redisUrl });
  const floor = await startBareProvider(service.secretHash, {
    redisUrl: stores.redisUrl,
    floor: await startFloor({ ...stores, idNumbers: service.idNumbers, secretHash: service.secretHash }),
  });
  return { inRedis, floor };
}
