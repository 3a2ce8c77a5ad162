/**
 * oidc-provider storage. Short-lived models live in the EphemeralStore; clients come from
 * the PostgreSQL-backed registry, and refresh tokens (with the grant each was issued under)
 * from PostgreSQL: both must survive a Redis flush (see durable-grants.ts).
 *
 * Layout: `oidc:<Model>:{<id>}` payload JSON; `oidc:<Model>:{<id>}:c` consumed-at marker;
 * `oidc:g:{<grantId>}` set of the keys issued under a grant, so revokeByGrantId is one read plus
 * one delete; `oidc:gr:{<grantId>}` a revoked grant's tombstone; `oidc:uid:<uid>` and
 * `oidc:uc:<userCode>` secondary indexes; an account's grants and sessions (account-index.ts),
 * so the account page can withdraw a department's grants and end the person's sessions.
 * The braces are a Redis Cluster hash tag (only the part inside decides a key's slot): an
 * artefact and its marker share a slot, and so do a grant's record, index and tombstone. A
 * token is looked up by its own id, so it cannot share its grant's slot: a revocation's DEL is
 * one command per slot (redis-connection.ts).
 *
 * Single use: oidc-provider checks `consumed` and then calls consume(), so simultaneous
 * redemptions would all pass its check. consume() is therefore the decision: the one call that
 * sets the marker first (SET NX, or UPDATE ... WHERE consumed_at IS NULL for a refresh token)
 * goes on; every other one revokes the grant and throws invalid_grant (RFC 6749 §4.1.2).
 * A loser may finish before the winner has stored its tokens, so revoking first writes the
 * tombstone, and every token stored under a grant is checked against it after it is written
 * and indexed (EphemeralStore.setAndIndex, one round trip on one server): a token indexed
 * before the tombstone is in the grant's index the revocation reads, one indexed after sees the
 * tombstone and is deleted again. Either way no token of a revoked grant stays.
 */
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { createMgetBatcher } from '../store/mget-batcher.ts';
import type { ClientRegistry } from './client-registry.ts';
import type { DurableGrants } from './durable-grants.ts';
import { accountGrantsKey, accountSessionsKey, grantMember } from './account-index.ts';

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

const LABEL: Record<string, string> = {
  AuthorizationCode: 'authorization code',
  DeviceCode: 'device code',
  BackchannelAuthenticationRequest: 'backchannel authentication request',
};

// a payload saved without expiry (none exist in our configuration) still must not live forever
const FALLBACK_TTL = 14 * 24 * 3600;
// the provider's ids and tokens are printable ASCII (nanoid, base64url)
const ISSUED_ID = /^[\x21-\x7e]{1,512}$/;
// consumed artefacts are codes; a day covers every code's life
const CONSUMED_TTL = 24 * 3600;
// a tombstone only has to outlast the requests in flight when its grant was revoked
const TOMBSTONE_TTL = 3600;

// Refresh tokens live in PostgreSQL, everything else in the ephemeral store. A token presented
// without a type hint (introspection, revocation) is looked up as every kind at once; giving
// refresh tokens one more character (264 random bits, 44 characters, against 256 bits and 43)
// lets each kind's look-up pass over the other's at no cost, so an access token's
// introspection does not cost a PostgreSQL query.
const DEFAULT_TOKEN_BITS = 256;
const REFRESH_TOKEN_BITS = 264;
const REFRESH_TOKEN_LENGTH = Math.ceil(REFRESH_TOKEN_BITS / 6);
const SHORTER_TOKENS = new Set(['AccessToken', 'ClientCredentials']);

export function opaqueTokenBits(kind: string): number {
  return kind === 'RefreshToken' ? REFRESH_TOKEN_BITS : DEFAULT_TOKEN_BITS;
}

const modelKey = (name: string, id: string) => `oidc:${name}:{${id}}`;
const tombstone = (grantId: string) => `oidc:gr:{${grantId}}`;
const grantIndex = (grantId: string) => `oidc:g:{${grantId}}`;

export function createAdapterClass(store: EphemeralStore, clients: ClientRegistry, durable: DurableGrants) {
  const mget = createMgetBatcher(store);

  /**
   * The Redis side of a grant's revocation: tombstone first, then every key in its index. A
   * consumed code's marker stays until its own expiry: a redemption that read the code before
   * this delete is still on its way to consume() and must find the code used, not fresh.
   */
  async function revokeEphemeral(grantId: string): Promise<void> {
    await store.set(tombstone(grantId), '1', TOMBSTONE_TTL);
    const keys = await store.smembers(grantIndex(grantId));
    await store.del([...keys, grantIndex(grantId)]);
  }

  /**
   * A second redemption: the grant's tokens go, the first redemption's included. A device code's
   * Grant object stays (see revokeGrantPolicy in provider.ts): oidc-provider looks it up only
   * after consuming the code, and the tombstone already makes it issue nothing that lasts.
   */
  async function revokeGrant(grantId: string | undefined, keepGrant: boolean): Promise<void> {
    if (!grantId) return;
    await revokeEphemeral(grantId);
    await Promise.all([keepGrant ? undefined : store.del([modelKey('Grant', grantId)]), durable.revokeGrant(grantId)]);
  }

  return class StoreAdapter implements Adapter {
    private readonly name: string;

    constructor(name: string) {
      this.name = name;
    }

    private key(id: string): string {
      return modelKey(this.name, id);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.name === 'Client') {
        throw new Error('clients are registered through the client registry, not the provider');
      }
      const grantId = GRANTABLE.has(this.name) && typeof payload.grantId === 'string' ? payload.grantId : undefined;
      if (this.name === 'RefreshToken') return this.upsertRefreshToken(id, payload, grantId);
      const key = this.key(id);
      const ttl = Math.max(1, Math.ceil(expiresIn || FALLBACK_TTL));
      const value = JSON.stringify(payload);
      // a token of a grant is indexed, and the grant's tombstone read once it is (see the top)
      const revoked = grantId ? store.setAndIndex(key, value, ttl, { set: grantIndex(grantId), check: tombstone(grantId) }) : store.set(key, value, ttl);
      const ops: Promise<unknown>[] = [revoked];
      if (payload.userCode) ops.push(store.set(`oidc:uc:${payload.userCode}`, id, ttl));
      // only sessions are looked up by uid (an interaction's uid is its id)
      if (payload.uid && this.name === 'Session') ops.push(store.set(`oidc:uid:${payload.uid}`, id, ttl));
      if (typeof payload.accountId === 'string') {
        if (this.name === 'Session' && payload.uid) ops.push(store.sadd(accountSessionsKey(payload.accountId), payload.uid, ttl));
        if (this.name === 'Grant' && typeof payload.clientId === 'string') ops.push(store.sadd(accountGrantsKey(payload.accountId), grantMember(id, payload.clientId), ttl));
      }
      await Promise.all(ops);
      if (await revoked) await store.del([key]);
    }

    private async upsertRefreshToken(id: string, payload: AdapterPayload, grantId: string | undefined): Promise<void> {
      // the grant is copied as it stands when the token is issued: the token can use no scope
      // the grant gains later, so a later change need not reach PostgreSQL
      const grant = grantId ? await store.get(modelKey('Grant', grantId)) : null;
      await durable.saveRefreshToken(id, payload, grant ? (JSON.parse(grant) as AdapterPayload) : undefined);
      // a revoked grant: the token goes, and the grant's copy it may have written again
      if (grantId && (await store.get(tombstone(grantId)))) await durable.revokeGrant(grantId);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return clients.find(id);
      // a presented value no model could have issued is not looked up (PostgreSQL refuses a NUL)
      if (!ISSUED_ID.test(id)) return undefined;
      if (this.name === 'RefreshToken') return id.length === REFRESH_TOKEN_LENGTH ? durable.findRefreshToken(id) : undefined;
      if (SHORTER_TOKENS.has(this.name) && id.length === REFRESH_TOKEN_LENGTH) return undefined;
      const key = this.key(id);
      const [json, consumed] = await mget([key, `${key}:c`]);
      if (!json) return this.name === 'Grant' ? durable.findGrant(id) : undefined;
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
      if (this.name === 'RefreshToken') {
        const { first, grantId } = await durable.consumeRefreshToken(id);
        if (first) return;
        await revokeGrant(grantId, false);
        throw new errors.InvalidGrant('refresh token already used');
      }
      const key = this.key(id);
      const first = await store.setIfAbsent(`${key}:c`, String(Math.floor(Date.now() / 1000)), CONSUMED_TTL);
      if (first) return;
      if (this.name === 'PushedAuthorizationRequest') throw new errors.InvalidRequestUri('request_uri already used');
      const json = await store.get(key);
      const grantId = json ? (JSON.parse(json) as AdapterPayload).grantId : undefined;
      await revokeGrant(typeof grantId === 'string' ? grantId : undefined, this.name === 'DeviceCode');
      throw new errors.InvalidGrant(`${LABEL[this.name] ?? 'grant'} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      if (this.name === 'RefreshToken') return durable.destroyRefreshToken(id);
      const key = this.key(id);
      await Promise.all([store.del([key, `${key}:c`]), this.name === 'Grant' ? durable.destroyGrant(id) : undefined]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // oidc-provider calls this once per token model; refresh tokens are in PostgreSQL
      if (this.name === 'RefreshToken') {
        await store.set(tombstone(grantId), '1', TOMBSTONE_TTL);
        await durable.revokeGrant(grantId);
        return;
      }
      await revokeEphemeral(grantId);
    }
  };
}
