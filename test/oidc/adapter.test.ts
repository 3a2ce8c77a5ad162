/** The provider's storage adapter, against every ephemeral backend (in-process, and Redis when REDIS_URL is set). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ephemeralBackends } from '../support/backends.ts';
import { createAdapterClass } from '../../src/oidc/adapter.ts';
import type { ClientRegistry } from '../../src/oidc/client-registry.ts';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';

const noClients = { find: () => undefined } as unknown as ClientRegistry;

for (const backend of ephemeralBackends()) {
  describe(`oidc adapter on ${backend.name}`, () => {
    let store: EphemeralStore;
    let Adapter: ReturnType<typeof createAdapterClass>;
    before(async () => {
      store = await backend.open();
      Adapter = createAdapterClass(store, noClients);
    });
    after(() => backend.dispose());

    it('stores and finds a payload until it expires', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c1', { kind: 'AuthorizationCode', grantId: 'g1' }, 1);
      assert.equal((await codes.find('c1'))?.grantId, 'g1');
      await new Promise((r) => setTimeout(r, 1300));
      assert.equal(await codes.find('c1'), undefined);
    });

    it('marks a consumed code so a replay is seen, even with concurrent redemptions', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c2', { kind: 'AuthorizationCode', grantId: 'g2' }, 60);
      assert.equal((await codes.find('c2'))?.consumed, undefined);
      await Promise.all(Array.from({ length: 10 }, () => codes.consume('c2')));
      assert.equal(typeof (await codes.find('c2'))?.consumed, 'number');
    });

    it('revokes every token of a grant in one go, and no other', async () => {
      const at = new Adapter('AccessToken');
      const rt = new Adapter('RefreshToken');
      const code = new Adapter('AuthorizationCode');
      await at.upsert('a1', { grantId: 'g3' }, 60);
      await rt.upsert('r1', { grantId: 'g3' }, 600);
      await code.upsert('k1', { grantId: 'g3' }, 60);
      await code.consume('k1');
      await at.upsert('a2', { grantId: 'other' }, 60);
      await at.revokeByGrantId('g3');
      assert.equal(await at.find('a1'), undefined);
      assert.equal(await rt.find('r1'), undefined);
      assert.equal(await code.find('k1'), undefined);
      assert.ok(await at.find('a2'));
    });

    it('finds sessions by uid and device codes by user code', async () => {
      const sessions = new Adapter('Session');
      await sessions.upsert('s1', { uid: 'u-1', accountId: 'p' }, 60);
      assert.equal((await sessions.findByUid('u-1'))?.accountId, 'p');
      const devices = new Adapter('DeviceCode');
      await devices.upsert('d1', { userCode: 'BCDFGHJK', grantId: 'g4' }, 60);
      assert.equal((await devices.findByUserCode('BCDFGHJK'))?.grantId, 'g4');
      assert.equal(await devices.findByUserCode('NOSUCH'), undefined);
      await devices.destroy('d1');
      assert.equal(await devices.find('d1'), undefined);
    });
  });
}
