/**
 * oidc-provider storage. Short-lived models live in the EphemeralStore; clients come from
 * the PostgreSQL-backed registry (they must survive a Redis flush).
 *
 * Layout: `oidc:<Model>:<id>` payload JSON; `oidc:<Model>:<id>:c` consumed-at marker (set
 * atomically with SET NX so a replayed code is seen even under concurrency); `oidc:g:<grantId>`
 * set of the keys issued under a grant, so revokeByGrantId is one read plus one delete;
 * `oidc:uid:<uid>` and `oidc:uc:<userCode>` secondary indexes.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { createMgetBatcher } from '../store/mget-batcher.ts';
import type { ClientRegistry } from './client-registry.ts';

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

// a payload saved without expiry (none exist in our configuration) still must not live forever
const FALLBACK_TTL = 14 * 24 * 3600;
// consumed artefacts are codes and rotated refresh tokens; a day covers every code's life and a
// replay of a rotated refresh token within it still revokes the grant
const CONSUMED_TTL = 24 * 3600;

export function createAdapterClass(store: EphemeralStore, clients: ClientRegistry) {
  const mget = createMgetBatcher(store);
  return class StoreAdapter implements Adapter {
    private readonly name: string;

    constructor(name: string) {
      this.name = name;
    }

    private key(id: string): string {
      return `oidc:${this.name}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.name === 'Client') {
        throw new Error('clients are registered through the client registry, not the provider');
      }
      const key = this.key(id);
      const ttl = Math.max(1, Math.ceil(expiresIn || FALLBACK_TTL));
      const ops: Promise<unknown>[] = [store.set(key, JSON.stringify(payload), ttl)];
      if (GRANTABLE.has(this.name) && payload.grantId) ops.push(store.sadd(`oidc:g:${payload.grantId}`, key, ttl));
      if (payload.userCode) ops.push(store.set(`oidc:uc:${payload.userCode}`, id, ttl));
      // only sessions are looked up by uid (an interaction's uid is its id)
      if (payload.uid && this.name === 'Session') ops.push(store.set(`oidc:uid:${payload.uid}`, id, ttl));
      await Promise.all(ops);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return clients.find(id);
      const key = this.key(id);
      const [json, consumed] = await mget([key, `${key}:c`]);
      if (!json) return undefined;
      const payload = JSON.parse(json) as AdapterPayload;
      if (consumed) payload.consumed = Number(consumed);
      return payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await store.get(`oidc:uid:${uid}`);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await store.get(`oidc:uc:${userCode}`);
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      // SET NX: of two concurrent redemptions one marks it first, and the other's find sees it consumed.
      // The marker outlives the artefact at most by FALLBACK_TTL; revokeByGrantId and destroy remove it.
      await store.setIfAbsent(`${this.key(id)}:c`, String(Math.floor(Date.now() / 1000)), CONSUMED_TTL);
    }

    async destroy(id: string): Promise<void> {
      const key = this.key(id);
      await store.del([key, `${key}:c`]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const setKey = `oidc:g:${grantId}`;
      const keys = await store.smembers(setKey);
      await store.del([...keys, ...keys.map((k) => `${k}:c`), setKey]);
    }
  };
}
