// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createFieldCipher } from '../../src/crypto/field-cipher.ts';
import { makeIdNumber } from '../../src/crypto/id-number.ts';
import { AppError } from '../../src/errors.ts';
import { createIdentityService, type IdentityService } from '../../src/identity/index.ts';
import type { Database } from '../../src/store/database.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import { databaseBackends } from '../support/backends.ts';

const cipher = createFieldCipher({
  dataKeys: [{ id: 'k1', key: randomBytes(32) }],
  activeDataKeyId: 'k1',
  indexKey: randomBytes(32),
});

async function rawText(db: Database, table: string): Promise<string> {
  const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
  return rows.map((r) => r.row).join('\n');
}

async function count(db: Database, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

for (const backend of databaseBackends()) {
  describe(`identity service (${backend.name})`, () => {
    let db: Database;
    let ids: IdentityService;
    before(async () => {
      db = await backend.open();
      await runMigrations(db);
      ids = createIdentityService(db, cipher);
    });
    after(async () => {
      await backend.dispose();
    });

    it('enrols a person with credentials and stores nothing in clear', async () => {
      const idNumber = makeIdNumber('110101', '1990-03-07', 123);
      const phone = '13800138000';
      const name = '张三丰';
      const res = await ids.enrol(idNumber, {
        name,
        phone,
        proofing: 'remote',
        credentials: [
          { method: 'id-card-password', identifier: idNumber, secretHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' },
          { method: 'sms-otp', identifier: phone },
        ],
      });
      assert.equal(res.created, true);
      assert.equal(res.credentialIds.length, 2);

      const person = await ids.getPerson(res.personId);
      assert.deepEqual(person, {
        id: res.personId,
        idNumber,
        name,
        phone,
        birthdate: '1990-03-07',
        gender: 'male',
        proofing: 'remote',
        idNumberIndex: cipher.blindIndex('id_number', idNumber),
        helpsUntil: null,
      });
      assert.equal(await ids.personExists(idNumber), true);
      assert.equal(await ids.findPersonIdByIdNumber(idNumber), res.personId);
      assert.equal(await ids.personExists(makeIdNumber('110101', '1990-03-07', 125)), false);

      const cred = await ids.findCredential('sms-otp', phone);
      assert.deepEqual(cred, { personId: res.personId, credentialId: res.credentialIds[1], secretHash: null, status: 'active' });
      const pwd = await ids.findCredential('id-card-password', idNumber);
      assert.equal(pwd?.secretHash, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
      // The same identifier under another method is another credential.
      assert.equal(await ids.findCredential('bank-card', phone), null);

      for (const table of ['persons', 'credentials']) {
        const text = await rawText(db, table);
        for (const secret of [idNumber, name, phone, idNumber.slice(0, 17)]) {
          assert.ok(!text.includes(secret), `${table} holds a plaintext value`);
        }
      }
    });

    it('accepts a lower-case x and finds the person either way', async () => {
      const upper = (() => {
        for (let seq = 0; seq < 1000; seq++) {
          const id = makeIdNumber('320102', '1985-11-30', seq);
          if (id.endsWith('X')) return id;
        }
        throw new Error('no X number');
      })();
      const res = await ids.enrol(upper.toLowerCase(), { name: '李四', proofing: 'remote', credentials: [] });
      assert.equal(await ids.findPersonIdByIdNumber(upper), res.personId);
      assert.equal(await ids.findPersonIdByIdNumber(upper.toLowerCase()), res.personId);
      assert.equal((await ids.getPerson(res.personId))?.idNumber, upper);
      assert.equal((await ids.getPerson(res.personId))?.phone, null);
    });

    it('refuses an invalid ID number', async () => {
      const good = makeIdNumber('110101', '1990-03-07', 123);
      const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
      await assert.rejects(
        ids.enrol(bad, { name: 'x', proofing: 'remote', credentials: [] }),
        (e: unknown) => e instanceof AppError && e.code === 'id_number_checksum' && e.status === 400,
      );
    });

    it('re-enrolling the same person adds credentials and updates a secret hash', async () => {
      const idNumber = makeIdNumber('440305', '1970-01-01', 222);
      const first = await ids.enrol(idNumber, {
        name: '王五',
        proofing: 'remote',
        credentials: [{ method: 'id-card-password', identifier: idNumber, secretHash: 'h1' }],
      });
      const second = await ids.enrol(idNumber, {
        name: '王五',
        proofing: 'remote',
        credentials: [
          { method: 'id-card-password', identifier: idNumber, secretHash: 'h2' },
          { method: 'sms-otp', identifier: '13900139000' },
        ],
      });
      assert.equal(second.created, false);
      assert.equal(second.personId, first.personId);
      assert.equal(second.credentialIds[0], first.credentialIds[0]);
      assert.equal((await ids.findCredential('id-card-password', idNumber))?.secretHash, 'h2');
      const list = await ids.listCredentials(first.personId);
      assert.deepEqual(list.map((c) => c.method).sort(), ['id-card-password', 'sms-otp']);
      assert.ok(list.every((c) => c.lastUsedAt === null && c.createdAt instanceof Date && c.status === 'active'));
      assert.ok(list.every((c) => !('secretHash' in c)));

      await ids.touchCredential(first.credentialIds[0]!);
      const touched = (await ids.listCredentials(first.personId)).find((c) => c.id === first.credentialIds[0]);
      assert.ok(touched?.lastUsedAt instanceof Date);
      assert.ok(Math.abs(touched.lastUsedAt.getTime() - Date.now()) < 60_000);
    });

    it('refuses a credential bound to another person and writes nothing', async () => {
      const phone = '13700137000';
      const a = makeIdNumber('310101', '1980-05-05', 11);
      const b = makeIdNumber('310101', '1981-06-06', 12);
      await ids.enrol(a, { name: '甲', proofing: 'remote', credentials: [{ method: 'sms-otp', identifier: phone }] });
      const before = { persons: await count(db, 'persons'), credentials: await count(db, 'credentials') };
      await assert.rejects(
        ids.enrol(b, {
          name: '乙',
          proofing: 'in_person',
          credentials: [
            { method: 'id-card-password', identifier: b, secretHash: 'hb' },
            { method: 'sms-otp', identifier: phone },
          ],
        }),
        (e: unknown) => e instanceof AppError && e.code === 'credential_conflict' && e.status === 409,
      );
      assert.deepEqual({ persons: await count(db, 'persons'), credentials: await count(db, 'credentials') }, before);
      assert.equal(await ids.personExists(b), false);
      assert.equal(await ids.findCredential('id-card-password', b), null);

      // Nor is an existing person touched when the conflict comes after a proofing rise.
      const aId = (await ids.findPersonIdByIdNumber(a))!;
      const c = makeIdNumber('310101', '1982-07-07', 13);
      await ids.enrol(c, { name: '丙', proofing: 'remote', credentials: [{ method: 'sms-otp', identifier: '13600136000' }] });
      await assert.rejects(
        ids.enrol(c, { name: '丙', proofing: 'in_person', credentials: [{ method: 'sms-otp', identifier: phone }] }),
        (e: unknown) => e instanceof AppError && e.code === 'credential_conflict',
      );
      const cId = (await ids.findPersonIdByIdNumber(c))!;
      assert.equal((await ids.getPerson(cId))?.proofing, 'remote');
      assert.equal((await ids.findCredential('sms-otp', phone))?.personId, aId);
    });

    it('raises proofing from remote to in_person and never lowers it', async () => {
      const idNumber = makeIdNumber('510104', '1995-12-31', 40);
      const r = await ids.enrol(idNumber, { name: '赵六', proofing: 'remote', credentials: [] });
      assert.equal((await ids.getPerson(r.personId))?.proofing, 'remote');
      await ids.enrol(idNumber, { name: '赵六', proofing: 'in_person', credentials: [] });
      assert.equal((await ids.getPerson(r.personId))?.proofing, 'in_person');
      await ids.enrol(idNumber, { name: '赵六', proofing: 'remote', credentials: [] });
      assert.equal((await ids.getPerson(r.personId))?.proofing, 'in_person');
      assert.equal((await ids.getPerson(r.personId))?.gender, 'female');
    });

    it('two concurrent enrolments of one number create one person', async () => {
      const idNumber = makeIdNumber('330106', '2000-02-29', 77);
      const results = await Promise.all([
        ids.enrol(idNumber, { name: '钱七', proofing: 'remote', credentials: [{ method: 'sms-otp', identifier: '13500135000' }] }),
        ids.enrol(idNumber, { name: '钱七', proofing: 'remote', credentials: [{ method: 'sms-otp', identifier: '13500135000' }] }),
      ]);
      assert.equal(results[0].personId, results[1].personId);
      assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
      assert.equal((await ids.listCredentials(results[0].personId)).length, 1);
    });

    it('returns null for unknown or malformed person ids', async () => {
      assert.equal(await ids.getPerson('00000000-0000-4000-8000-000000000000'), null);
      assert.equal(await ids.getPerson('not-a-uuid'), null);
      assert.deepEqual(await ids.listCredentials('not-a-uuid'), []);
    });

    it('saves, merges and withdraws consents', async () => {
      const idNumber = makeIdNumber('420102', '1988-08-08', 31);
      const { personId } = await ids.enrol(idNumber, { name: '孙八', proofing: 'remote', credentials: [] });
      assert.equal(await ids.getConsent(personId, 'dept-a'), null);

      const c1 = await ids.saveConsent(personId, 'dept-a', ['openid', 'profile'], ['name']);
      assert.deepEqual({ scopes: c1.scopes, claims: c1.claims }, { scopes: ['openid', 'profile'], claims: ['name'] });
      assert.ok(c1.grantedAt instanceof Date);

      const c2 = await ids.saveConsent(personId, 'dept-a', ['openid', 'phone'], ['phone_number', 'name']);
      assert.deepEqual(c2.scopes, ['openid', 'phone', 'profile']);
      assert.deepEqual(c2.claims, ['name', 'phone_number']);
      const got = await ids.getConsent(personId, 'dept-a');
      assert.deepEqual({ scopes: got?.scopes, claims: got?.claims }, { scopes: c2.scopes, claims: c2.claims });
      // Consents are per client.
      assert.equal(await ids.getConsent(personId, 'dept-b'), null);

      assert.equal(await ids.withdrawConsent(personId, 'dept-a'), true);
      assert.equal(await ids.getConsent(personId, 'dept-a'), null);
      assert.equal(await ids.withdrawConsent(personId, 'dept-a'), false);

      // After a withdrawal a new grant starts afresh: the old scopes do not come back.
      const c3 = await ids.saveConsent(personId, 'dept-a', ['openid'], []);
      assert.deepEqual({ scopes: c3.scopes, claims: c3.claims }, { scopes: ['openid'], claims: [] });
      const { rows } = await db.query<{ withdrawn_at: unknown }>(
        'SELECT withdrawn_at FROM consents WHERE person_id = $1 AND client_id = $2',
        [personId, 'dept-a'],
      );
      assert.equal(rows[0]!.withdrawn_at, null);
    });

    it('notes the last use of a credential and a consent once an hour, not on every sign-in', async () => {
      const idNumber = makeIdNumber('420102', '1987-07-07', 41);
      const { personId, credentialIds } = await ids.enrol(idNumber, {
        name: '周九',
        proofing: 'remote',
        credentials: [{ method: 'id-card-password', identifier: idNumber, secretHash: 'h' }],
      });
      const credentialId = credentialIds[0]!;
      await ids.saveConsent(personId, 'dept-a', ['openid'], []);
      const lastUsed = async () => {
        const { rows } = await db.query<{ c: string | null; k: string | null }>(
          `SELECT (SELECT last_used_at::text FROM credentials WHERE id = $1) AS c,
                  (SELECT last_used_at::text FROM consents WHERE person_id = $2 AND client_id = 'dept-a') AS k`,
          [credentialId, personId],
        );
        return rows[0]!;
      };
      const backdate = (minutes: number) =>
        Promise.all([
          db.query(`UPDATE credentials SET last_used_at = now() - make_interval(mins => $2) WHERE id = $1`, [credentialId, minutes]),
          db.query(`UPDATE consents SET last_used_at = now() - make_interval(mins => $2) WHERE person_id = $1`, [personId, minutes]),
        ]);
      const touch = () => Promise.all([ids.touchCredential(credentialId), ids.touchConsent(personId, 'dept-a')]);

      // never used: the first sign-in is noted
      await touch();
      const first = await lastUsed();
      assert.ok(first.c !== null && first.k !== null);
      // used 59 minutes ago: a sign-in now changes nothing
      await backdate(59);
      const earlier = await lastUsed();
      await touch();
      assert.deepEqual(await lastUsed(), earlier);
      // used 61 minutes ago: now is noted again
      await backdate(61);
      await touch();
      const now = await lastUsed();
      for (const at of [now.c!, now.k!]) assert.ok(Math.abs(new Date(at).getTime() - Date.now()) < 60_000, `noted just now: ${at}`);

      // a look-up that finds the last use within the hour spares the sign-in after it the
      // statement: made older behind the service's back in between, it stays as it is…
      await backdate(30);
      assert.equal((await ids.credentialLookup().find('id-card-password', idNumber))?.credentialId, credentialId);
      await backdate(61);
      const behind = await lastUsed();
      await ids.touchCredential(credentialId);
      assert.equal((await lastUsed()).c, behind.c, 'no statement after a look-up that saw a fresh last use');
      // …once: the next sign-in without such a look-up notes it again
      await ids.touchCredential(credentialId);
      assert.notEqual((await lastUsed()).c, behind.c);

      // a look-up followed by no sign-in (a wrong password) spares nothing later: its mark is
      // for the sign-in right after it (a service whose clock is moved on two hours)
      let at = Date.now();
      const later = createIdentityService(db, cipher, { now: () => at });
      await backdate(30);
      assert.ok(await later.credentialLookup().find('id-card-password', idNumber));
      at += 2 * 3_600_000;
      await backdate(121);
      const stale = await lastUsed();
      await later.touchCredential(credentialId);
      assert.notEqual((await lastUsed()).c, stale.c, 'the sign-in two hours on is noted');
    });

    it('serves as the credential look-up login methods use', async () => {
      const lookup = ids.credentialLookup();
      const idNumber = makeIdNumber('110101', '1990-03-07', 123);
      assert.equal(await lookup.personExists(idNumber), true);
      assert.equal((await lookup.find('sms-otp', '13800138000'))?.status, 'active');
      assert.equal(await lookup.find('sms-otp', '10000000000'), null);
    });
  });
}
