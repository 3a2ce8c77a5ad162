// test-pass: postgres-redis — runs on the in-process store there too, beside Redis
/**
 * The provider's storage adapter, against every ephemeral backend (in-process, and Redis when
 * REDIS_URL is set); refresh tokens go to PostgreSQL (embedded PGlite here).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from 'oidc-provider';
import { ephemeralBackends } from '../support/backends.ts';
import { pgliteImage } from '../support/pglite-image.ts';
import { createAdapterClass } from '../../src/oidc/adapter.ts';
import type { ClientRegistry } from '../../src/oidc/client-registry.ts';
import type { EphemeralStore } from '../../src/store/ephemeral.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/database.ts';
import { durableGrants } from '../../src/oidc/durable-grants.ts';

/** a refresh token id of the shape the provider issues (44 characters) */
const rid = (name: string) => name.padEnd(44, '_');

const noClients = { find: () => undefined } as unknown as ClientRegistry;

for (const backend of ephemeralBackends()) {
  describe(`oidc adapter on ${backend.name}`, () => {
    let store: EphemeralStore;
    let db: Database;
    let Adapter: ReturnType<typeof createAdapterClass>;
    before(async () => {
      store = await backend.open();
      db = await createPgliteDatabase({ image: await pgliteImage('migrated') });
      await runMigrations(db);
      Adapter = createAdapterClass(store, noClients, durableGrants(db));
    });
    after(async () => {
      await db?.close();
      await backend.dispose();
    });

    it('stores and finds a payload until it expires', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c1', { kind: 'AuthorizationCode', grantId: 'g1' }, 1);
      assert.equal((await codes.find('c1'))?.grantId, 'g1');
      await new Promise((r) => setTimeout(r, 1300));
      assert.equal(await codes.find('c1'), undefined);
    });

    it('lets one of concurrent consumes through; the others throw invalid_grant and revoke the grant', async () => {
      const codes = new Adapter('AuthorizationCode');
      const at = new Adapter('AccessToken');
      await codes.upsert('c2', { kind: 'AuthorizationCode', grantId: 'g2' }, 60);
      await at.upsert('a0', { grantId: 'g2' }, 60);
      assert.equal((await codes.find('c2'))?.consumed, undefined);
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => codes.consume('c2')));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        assert.ok(r.reason instanceof errors.InvalidGrant, String(r.reason));
      }
      assert.equal(await at.find('a0'), undefined, 'the grant was revoked');
    });

    it('keeps a used code used through the revocation a second redemption causes, for a third that read the code before it', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c3', { kind: 'AuthorizationCode', grantId: 'g3' }, 60);
      const readEarly = await codes.find('c3');
      assert.equal(readEarly?.consumed, undefined, 'the third redemption found the code unused');
      await codes.consume('c3');
      await assert.rejects(codes.consume('c3'), errors.InvalidGrant, 'the second redemption loses and revokes the grant');
      assert.equal(await codes.find('c3'), undefined, 'the revocation deleted the code');
      // the third now consumes the code it read before the revocation
      await assert.rejects(codes.consume('c3'), errors.InvalidGrant);
    });

    it('deletes a token stored under a grant after the grant was revoked', async () => {
      const at = new Adapter('AccessToken');
      const rt = new Adapter('RefreshToken');
      await at.revokeByGrantId('g5');
      await at.upsert('a5', { grantId: 'g5' }, 60);
      await rt.upsert(rid('r5'), { grantId: 'g5', accountId: 'p', clientId: 'c' }, 600);
      assert.equal(await at.find('a5'), undefined);
      assert.equal(await rt.find(rid('r5')), undefined);
    });

    it('keeps refresh tokens and their grants in PostgreSQL, and rotates each once however many try', async () => {
      const grants = new Adapter('Grant');
      const rt = new Adapter('RefreshToken');
      await grants.upsert('g6', { accountId: 'p', clientId: 'c', exp: Math.floor(Date.now() / 1000) + 600 }, 600);
      await rt.upsert(rid('r6'), { grantId: 'g6', accountId: 'p', clientId: 'c', exp: Math.floor(Date.now() / 1000) + 600 }, 600);
      await store.del(['oidc:Grant:{g6}']);
      assert.equal((await grants.find('g6'))?.accountId, 'p', 'the grant comes back from PostgreSQL');
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => rt.consume(rid('r6'))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal(await rt.find(rid('r6')), undefined, 'a second use revoked the grant');
      assert.equal(await grants.find('g6'), undefined);
    });

    it('revokes every token of a grant in one go, and no other', async () => {
      const at = new Adapter('AccessToken');
      const rt = new Adapter('RefreshToken');
      const code = new Adapter('AuthorizationCode');
      await at.upsert('a1', { grantId: 'g3' }, 60);
      await rt.upsert(rid('r1'), { grantId: 'g3', accountId: 'p', clientId: 'c' }, 600);
      await code.upsert('k1', { grantId: 'g3' }, 60);
      await code.consume('k1');
      await at.upsert('a2', { grantId: 'other' }, 60);
      await rt.upsert(rid('r2'), { grantId: 'other', accountId: 'p', clientId: 'c' }, 600);
      // oidc-provider revokes model by model
      await Promise.all([at.revokeByGrantId('g3'), rt.revokeByGrantId('g3'), code.revokeByGrantId('g3')]);
      assert.equal(await at.find('a1'), undefined);
      assert.equal(await rt.find(rid('r1')), undefined);
      assert.equal(await code.find('k1'), undefined);
      assert.ok(await at.find('a2'));
      assert.ok(await rt.find(rid('r2')));
    });

    it('looks a token up only as the kinds its length can be', async () => {
      const rt = new Adapter('RefreshToken');
      const at = new Adapter('AccessToken');
      const access = 'a'.repeat(43);
      await rt.upsert(rid('r7'), { grantId: 'g7', accountId: 'p', clientId: 'c' }, 600);
      await at.upsert(access, { grantId: 'g7' }, 60);
      assert.ok(await rt.find(rid('r7')));
      assert.ok(await at.find(access));
      // the same rows, asked for under an id of the other kind's length
      const moved = await db.query("UPDATE oidc_refresh_tokens SET id = $1 WHERE id = $2", [access, rid('r7')]);
      assert.equal(moved.rowCount, 1);
      assert.equal(await rt.find(access), undefined, 'a 43-character value is never a refresh token');
      await at.upsert(rid('a8'), { grantId: 'g8' }, 60);
      assert.equal(await at.find(rid('a8')), undefined, 'a 44-character value is never an access token');
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
