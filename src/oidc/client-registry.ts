/**
 * Department apps live in PostgreSQL. Each process keeps them in memory (the token endpoint
 * must not pay a database round trip per request) and reloads when another process announces
 * a change on the `clients` channel.
 */
import type { AdapterPayload } from 'oidc-provider';
import type { Database } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { log } from '../log.ts';

const CHANNEL = 'clients:changed';

export interface ClientRegistry {
  find(clientId: string): AdapterPayload | undefined;
  list(): AdapterPayload[];
  upsert(metadata: Record<string, unknown> & { client_id: string }, source: string): Promise<void>;
  remove(clientId: string): Promise<boolean>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function createClientRegistry(db: Database, store: EphemeralStore): Promise<ClientRegistry> {
  let cache = new Map<string, AdapterPayload>();

  async function reload(): Promise<void> {
    const { rows } = await db.query<{ client_id: string; metadata: AdapterPayload }>(
      'SELECT client_id, metadata FROM clients',
    );
    cache = new Map(rows.map((r) => [r.client_id, r.metadata]));
  }

  await reload();
  const unsubscribe = await store.subscribe(CHANNEL, () => {
    reload().catch((err: unknown) => log.error({ err }, 'client reload failed'));
  });

  return {
    find: (id) => cache.get(id),
    list: () => [...cache.values()],
    async upsert(metadata, source) {
      await db.query(
        `INSERT INTO clients (client_id, metadata, source) VALUES ($1, $2, $3)
         ON CONFLICT (client_id) DO UPDATE SET metadata = EXCLUDED.metadata, source = EXCLUDED.source, updated_at = now()`,
        [metadata.client_id, JSON.stringify(metadata), source],
      );
      cache.set(metadata.client_id, metadata as AdapterPayload);
      await store.publish(CHANNEL, metadata.client_id);
    },
    async remove(clientId) {
      const { rowCount } = await db.query('DELETE FROM clients WHERE client_id = $1', [clientId]);
      cache.delete(clientId);
      await store.publish(CHANNEL, clientId);
      return rowCount > 0;
    },
    reload,
    close: unsubscribe,
  };
}
