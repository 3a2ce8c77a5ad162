// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
/** Refresh tokens and their grants in PostgreSQL, against PGlite and (with DATABASE_URL) PostgreSQL. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseBackends } from '../support/backends.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/database.ts';
import { durableGrants, type DurableGrants } from '../../src/oidc/durable-grants.ts';

const now = () => Math.floor(Date.now() / 1000);
const token = (grantId: string, exp = now() + 600) => ({ grantId, accountId: 'person-1', clientId: 'dept-a', exp, scope: 'openid offline_access' });
const grant = (exp = now() + 600) => ({ accountId: 'person-1', clientId: 'dept-a', exp, openid: { scope: 'openid offline_access' } });

for (const backend of databaseBackends()) {
  describe(`durable refresh tokens on ${backend.name}`, () => {
    let db: Database;
    let d: DurableGrants;
    before(async () => {
      db = await backend.open();
      await runMigrations(db);
      d = durableGrants(db);
    });
    after(() => backend.dispose());

    it('finds a stored refresh token and the grant copied with it', async () => {
      await d.saveRefreshToken('rt-1', token('g-1'), grant());
      assert.equal((await d.findRefreshToken('rt-1'))?.grantId, 'g-1');
      assert.equal((await d.findRefreshToken('rt-1'))?.consumed, undefined);
      assert.deepEqual((await d.findGrant('g-1'))?.openid, { scope: 'openid offline_access' });
    });

    it('lets exactly one of 30 simultaneous rotations consume a refresh token', async () => {
      await d.saveRefreshToken('rt-2', token('g-2'), grant());
      const results = await Promise.all(Array.from({ length: 30 }, () => d.consumeRefreshToken('rt-2')));
      assert.equal(results.filter((r) => r.first).length, 1);
      for (const r of results) assert.equal(r.grantId, 'g-2');
      assert.equal(typeof (await d.findRefreshToken('rt-2'))?.consumed, 'number');
    });

    it('revokes a grant: its refresh tokens and its copy, nothing else', async () => {
      await d.saveRefreshToken('rt-3a', token('g-3'), grant());
      await d.saveRefreshToken('rt-3b', token('g-3'), undefined);
      await d.saveRefreshToken('rt-4', token('g-4'), grant());
      await d.revokeGrant('g-3');
      assert.equal(await d.findRefreshToken('rt-3a'), undefined);
      assert.equal(await d.findRefreshToken('rt-3b'), undefined);
      assert.equal(await d.findGrant('g-3'), undefined);
      assert.ok(await d.findRefreshToken('rt-4'));
      assert.ok(await d.findGrant('g-4'));
    });

    it('hides expired rows and sweeps them away', async () => {
      await d.saveRefreshToken('rt-old', token('g-old', now() - 5), grant(now() - 5));
      assert.equal(await d.findRefreshToken('rt-old'), undefined);
      assert.equal(await d.findGrant('g-old'), undefined);
      await d.sweep();
      const { rows } = await db.query<{ n: string }>(
        `SELECT ((SELECT count(*) FROM oidc_refresh_tokens WHERE id = 'rt-old') + (SELECT count(*) FROM oidc_grants WHERE id = 'g-old'))::text AS n`,
      );
      assert.equal(rows[0]!.n, '0');
      assert.ok(await d.findRefreshToken('rt-4'), 'live rows stay');
    });
  });
}
