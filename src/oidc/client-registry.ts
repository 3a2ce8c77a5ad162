/**
 * Department apps live in PostgreSQL. Each process keeps them in memory (the token endpoint
 * must not pay a database round trip per request) and reloads when another process announces
 * a change on the `clients` channel. The service's own clients (internal-clients.ts) are given
 * to each process from its configuration and never stored; their ids cannot be written here.
 */
import type { AdapterPayload } from 'oidc-provider';
import type { Database, Queryable } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { log } from '../log.ts';
import { countCacheReload } from '../metrics/index.ts';
import { isReservedClientId, reservedClientMessage } from './internal-clients.ts';

const CHANNEL = 'clients:changed';

/** Runs `write` in the caller's transaction and returns what it returned. */
export type InTransaction<T> = (write: (q: Queryable) => Promise<T>) => Promise<T>;

export interface ClientRegistry {
  find(clientId: string): AdapterPayload | undefined;
  list(): AdapterPayload[];
  /**
   * `inTransaction`, when given, runs the write inside the caller's transaction (with its audit
   * event); processes learn of the change only after it committed.
   */
  upsert(metadata: Record<string, unknown> & { client_id: string }, source: string, inTransaction?: InTransaction<void>): Promise<void>;
  /** false when there was no such client */
  remove(clientId: string, inTransaction?: InTransaction<boolean>): Promise<boolean>;
  /** the service's own clients, built from this process's configuration */
  useInternal(metadata: ReadonlyArray<Record<string, unknown> & { client_id: string }>): void;
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function createClientRegistry(db: Database, store: EphemeralStore): Promise<ClientRegistry> {
  let cache = new Map<string, AdapterPayload>();
  const internal = new Map<string, AdapterPayload>();

  function refuseReserved(clientId: string): void {
    if (isReservedClientId(clientId)) throw new Error(reservedClientMessage(clientId));
  }

  async function reload(): Promise<void> {
    const { rows } = await db
      .query<{ client_id: string; metadata: AdapterPayload }>('SELECT client_id, metadata FROM clients')
      .catch((err: unknown) => {
        countCacheReload('clients', 'failed');
        throw err;
      });
    countCacheReload('clients', 'ok');
    // rows under a reserved id (written by older versions) never shadow the configured client
    cache = new Map(rows.filter((r) => !isReservedClientId(r.client_id)).map((r) => [r.client_id, r.metadata]));
  }

  await reload();
  const unsubscribe = await store.subscribe(CHANNEL, () => {
    reload().catch((err: unknown) => log.error({ err }, 'client reload failed'));
  });

  return {
    find: (id) => internal.get(id) ?? cache.get(id),
    list: () => [...internal.values(), ...cache.values()],
    async upsert(metadata, source, inTransaction = (write) => write(db)) {
      refuseReserved(metadata.client_id);
      await inTransaction(async (q) => {
        await q.query(
          `INSERT INTO clients (client_id, metadata, source) VALUES ($1, $2, $3)
           ON CONFLICT (client_id) DO UPDATE SET metadata = EXCLUDED.metadata, source = EXCLUDED.source, updated_at = now()`,
          [metadata.client_id, JSON.stringify(metadata), source],
        );
      });
      cache.set(metadata.client_id, metadata as AdapterPayload);
      await store.publish(CHANNEL, metadata.client_id);
    },
    async remove(clientId, inTransaction = (write) => write(db)) {
      refuseReserved(clientId);
      const removed = await inTransaction(async (q) => (await q.query('DELETE FROM clients WHERE client_id = $1', [clientId])).rowCount > 0);
      cache.delete(clientId);
      await store.publish(CHANNEL, clientId);
      return removed;
    },
    useInternal(list) {
      for (const m of list) {
        if (!isReservedClientId(m.client_id)) throw new Error(`${m.client_id} is not one of the service's own clients`);
        internal.set(m.client_id, m as AdapterPayload);
      }
    },
    reload,
    close: unsubscribe,
  };
}
