// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createFieldCipher } from '../../../src/crypto/field-cipher.ts';
import { createIdentityService } from '../../../src/identity/index.ts';
import type { Database } from '../../../src/store/database.ts';
import { runMigrations } from '../../../src/store/migrate.ts';
import { ensureSeeded } from '../../../bench/city/seed.ts';
import { idNumberAt, nameAt, personFor } from '../../../bench/city/persons.ts';
import { databaseBackends } from '../../support/backends.ts';

const cipher = createFieldCipher({ dataKeys: [{ id: 'k1', key: randomBytes(32) }], activeDataKeyId: 'k1', indexKey: randomBytes(32) });
const METHOD = 'id-card-password';

const count = async (db: Database, table: string) => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

describe('synthetic persons', () => {
  it('gives each index its own valid ID number, and spreads logins over every person once before any repeats', () => {
    const ids = new Set(Array.from({ length: 3000 }, (_, i) => idNumberAt(i * 7919)));
    assert.equal(ids.size, 3000);
    const seen = new Set(Array.from({ length: 1000 }, (_, n) => personFor(n, 1000)));
    assert.equal(seen.size, 1000);
  });
});

for (const backend of databaseBackends()) {
  describe(`city seeding (${backend.name})`, () => {
    let db: Database;
    before(async () => {
      db = await backend.open();
      await runMigrations(db);
    });
    after(() => backend.dispose());

    it('writes persons a login finds through the real blind index, encrypted, with the shared hash; a second run skips', async () => {
      let hashed = 0;
      const hash = async () => {
        hashed++;
        return '$argon2id$shared';
      };
      assert.equal((await ensureSeeded(db, cipher, METHOD, 12, hash, () => undefined)).seeded, true);
      const identity = createIdentityService(db, cipher);
      for (const i of [0, 5, 11]) {
        const match = await identity.findCredential(METHOD, idNumberAt(i));
        assert.ok(match, `person ${i} has a credential`);
        assert.equal(match.secretHash, '$argon2id$shared');
        const person = await identity.getPerson(match.personId);
        assert.equal(person?.idNumber, idNumberAt(i));
        assert.equal(person?.name, nameAt(i));
      }
      const raw = (await db.query<{ row: string }>('SELECT p::text AS row FROM persons p')).rows.map((r) => r.row).join('\n');
      assert.ok(!raw.includes(idNumberAt(5)) && !raw.includes(nameAt(5)), 'no ID number or name in clear');
      assert.equal(await count(db, 'persons'), 12);

      assert.deepEqual(await ensureSeeded(db, cipher, METHOD, 12, hash, () => undefined).then((r) => r.seeded), false);
      assert.equal(hashed, 1);
    });

    it('builds the unique indexes and foreign key again after the load', async () => {
      const { rows } = await db.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND contype IN ('u', 'f') ORDER BY conname`,
      );
      const names = rows.map((r) => r.conname);
      for (const n of ['credentials_method_identifier_index_key', 'credentials_person_id_fkey', 'persons_id_number_index_key']) assert.ok(names.includes(n), n);
      await assert.rejects(
        db.query(`INSERT INTO credentials (id, person_id, method, identifier_index) SELECT gen_random_uuid(), person_id, method, identifier_index FROM credentials LIMIT 1`),
        /duplicate key|unique/i,
      );
      assert.equal(await count(db, 'bench_seed_ddl'), 0);
    });

    it('seeds again, from nothing, when the count changes', async () => {
      assert.equal((await ensureSeeded(db, cipher, METHOD, 20, async () => 'h2', () => undefined)).seeded, true);
      assert.equal(await count(db, 'persons'), 20);
      assert.equal(await count(db, 'credentials'), 20);
      assert.equal((await createIdentityService(db, cipher).findCredential(METHOD, idNumberAt(19)))?.secretHash, 'h2');
    });
  });
}
