/**
 * The least a bare oidc-provider must do to keep its state in Redis, as any deployment of more
 * than one process must: each model a JSON string with its TTL, a uid and a user-code index, a
 * list of a grant's tokens for revocation, consumption as a mark beside the model. No sealing,
 * no tombstones, no batching: the floor a shared store puts under a login, for the core part's
 * second yardstick.
 */
import { createClient } from 'redis';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { deletePrefix } from './store-cleanup.ts';

type Client = ReturnType<typeof createClient>;

/** longer than any consumable model lives (codes live minutes) */
const CONSUMED_TTL = 86_400;
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export async function redisAdapterClass(url: string, prefix: string): Promise<{ Adapter: new (name: string) => Adapter; close(): Promise<void> }> {
  const client: Client = createClient({ url });
  await client.connect();
  class RedisAdapter implements Adapter {
    constructor(private readonly name: string) {}
    private key(id: string) {
      return `${prefix}${this.name}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const m = client.multi().set(key, JSON.stringify(payload), { EX: expiresIn });
      if (GRANTABLE.has(this.name) && payload.grantId) {
        const grant = `${prefix}grant:${payload.grantId}`;
        m.rPush(grant, key).expire(grant, expiresIn);
      }
      if (payload.userCode) m.set(`${prefix}userCode:${payload.userCode}`, id, { EX: expiresIn });
      if (payload.uid) m.set(`${prefix}uid:${payload.uid}`, id, { EX: expiresIn });
      await m.exec();
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      const [raw, consumed] = await client.mGet([this.key(id), `${this.key(id)}:c`]);
      if (!raw) return undefined;
      const payload = JSON.parse(raw) as AdapterPayload;
      if (consumed) payload.consumed = Number(consumed);
      return payload;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await client.get(`${prefix}uid:${uid}`);
      return id ? this.find(id) : undefined;
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await client.get(`${prefix}userCode:${userCode}`);
      return id ? this.find(id) : undefined;
    }
    async consume(id: string): Promise<void> {
      // one round trip, as ours: the mark beside the model, read with it by find()
      await client.set(`${this.key(id)}:c`, String(Math.floor(Date.now() / 1000)), { EX: CONSUMED_TTL });
    }
    async destroy(id: string): Promise<void> {
      await client.del([this.key(id), `${this.key(id)}:c`]);
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      const grant = `${prefix}grant:${grantId}`;
      const keys = await client.lRange(grant, 0, -1);
      await client.del([...keys, grant]);
    }
  }
  return {
    Adapter: RedisAdapter,
    // sessions and grants would otherwise stay in the shared Redis for their 14 days
    close: async () => {
      await client.quit();
      await deletePrefix(url, prefix);
    },
  };
}
