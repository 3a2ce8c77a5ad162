// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditLog, type AuditLog, type ChainVerification } from '../../src/audit/index.ts';

/** an aggregated refusal row, as the refusal tally writes it */
const limited = (scope: string, source: string) =>
  ({ type: 'login.rate_limited', method: 'sms-otp', scope, windowStart: '2026-01-01T00:00:00.000Z', windowSeconds: 600, count: 1, final: false, source }) as const;
import type { Database } from '../../src/store/database.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import { databaseBackends } from '../support/backends.ts';

const SUBJECT = 'bW9ja19ibGluZF9pbmRleF9vZl9hX3BlcnNvbl9oZXJlX3g';

/** A sound chain of `rows` rows whose reported head is the newest row. */
async function assertSound(db: Database, result: ChainVerification, rows: number): Promise<void> {
  const { rows: last } = await db.query<{ seq: string; hash: string }>('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1');
  assert.deepEqual(result, { ok: true, checked: rows, head: last[0] });
}

for (const backend of databaseBackends()) {
  describe(`audit log (${backend.name})`, () => {
    let db: Database;
    let audit: AuditLog;
    before(async () => {
      db = await backend.open();
      await runMigrations(db);
      audit = createAuditLog(db);
    });
    after(async () => {
      await backend.dispose();
    });

    it('verifies an empty log', async () => {
      assert.deepEqual(await audit.verifyChain(), { ok: true, checked: 0 });
    });

    it('chains rows from the genesis hash and verifies them', async () => {
      await audit.record({
        type: 'login.succeeded',
        method: 'sms-otp',
        clientId: 'dept-tax',
        acr: 'urn:tongban:loa:1',
        amr: ['sms', 'otp'],
        subjectIndex: SUBJECT,
        source: '203.0.113.7',
      });
      await audit.record({ type: 'login.failed', method: 'id-card-password', reason: 'login_failed', source: '203.0.113.8' });
      await audit.record({
        type: 'claims.released',
        clientId: 'dept-tax',
        subjectIndex: SUBJECT,
        claims: ['name', 'id_number'],
        use: 'userinfo',
      });
      const { rows } = await db.query<{ seq: string; prev_hash: string; hash: string; client_id: string | null; source: string | null; subject_index: string | null; data: Record<string, unknown> }>(
        'SELECT seq, prev_hash, hash, client_id, source, subject_index, data FROM audit_log ORDER BY seq',
      );
      assert.equal(rows.length, 3);
      assert.equal(rows[0]!.prev_hash, '0'.repeat(64));
      assert.equal(rows[1]!.prev_hash, rows[0]!.hash);
      assert.equal(rows[2]!.prev_hash, rows[1]!.hash);
      assert.match(rows[0]!.hash, /^[0-9a-f]{64}$/);
      // Envelope fields go to their own columns, not into data.
      assert.equal(rows[0]!.client_id, 'dept-tax');
      assert.equal(rows[0]!.source, '203.0.113.7');
      assert.equal(rows[0]!.subject_index, SUBJECT);
      assert.deepEqual(rows[0]!.data, { method: 'sms-otp', acr: 'urn:tongban:loa:1', amr: ['sms', 'otp'] });
      assert.equal(rows[1]!.subject_index, null);
      await assertSound(db, await audit.verifyChain(), 3);
    });

    it('lists a subject’s events, newest first', async () => {
      const list = await audit.listForSubject(SUBJECT, 10);
      assert.deepEqual(
        list.map((r) => r.type),
        ['claims.released', 'login.succeeded'],
      );
      assert.equal(list[1]!.clientId, 'dept-tax');
      assert.match(list[1]!.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(list[0]!.data, { claims: ['name', 'id_number'], use: 'userinfo' });
      assert.equal((await audit.listForSubject(SUBJECT, 1)).length, 1);
      assert.deepEqual(await audit.listForSubject('someone-else', 10), []);
    });

    it('keeps one chain under 20 concurrent writers', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          audit.record(limited(`ip-${i}`, `198.51.100.${i}`)),
        ),
      );
      const { rows } = await db.query<{ prev_hash: string; hash: string }>('SELECT prev_hash, hash FROM audit_log ORDER BY seq');
      assert.equal(rows.length, 23);
      const prevs = new Set(rows.map((r) => r.prev_hash));
      assert.equal(prevs.size, rows.length, 'no two rows share a predecessor (no fork)');
      await assertSound(db, await audit.verifyChain(), 23);
    });

    it('keeps one chain when two instances write at once, each with its own idea of the head', async () => {
      const other = createAuditLog(db);
      const writes: Array<Promise<void>> = [];
      for (let i = 0; i < 15; i++) {
        writes.push(audit.record(limited(`a-${i}`, '198.51.100.1')));
        writes.push(other.record(limited(`b-${i}`, '198.51.100.2')));
      }
      await Promise.all(writes);
      // and again, now that each holds a head the other has moved past
      await other.record(limited('b-last', '198.51.100.2'));
      await audit.record(limited('a-last', '198.51.100.1'));
      const { rows } = await db.query<{ prev_hash: string; data: { scope?: string } }>('SELECT prev_hash, data FROM audit_log ORDER BY seq');
      assert.equal(rows.length, 23 + 32);
      assert.equal(new Set(rows.map((r) => r.prev_hash)).size, rows.length, 'no fork');
      assert.equal(rows.filter((r) => /^[ab]-/.test(r.data.scope ?? '')).length, 32, 'every event written once');
      await assertSound(db, await audit.verifyChain(), rows.length);
    });

    it('a row the database refuses fails alone, not the rows queued with it', async () => {
      const { rows: before } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_log');
      const results = await Promise.allSettled([
        audit.record({ type: 'login.failed', method: 'sms-otp', reason: 'first' }),
        audit.record({ type: 'login.failed', method: 'sms-otp', reason: 'second' }),
        // jsonb cannot hold a NUL character
        audit.record({ type: 'login.failed', method: 'sms-otp', reason: 'bad\u0000' }),
        audit.record({ type: 'login.failed', method: 'sms-otp', reason: 'third' }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      const { rows: after } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_log');
      assert.equal(Number(after[0]!.n), Number(before[0]!.n) + 3);
      assert.equal((await audit.verifyChain()).ok, true);
    });

    it('refuses data that looks like a resident ID number, writing nothing', async () => {
      const before = await audit.verifyChain();
      for (const leak of ['110101199003071234', '11010119900307123X', 'id 11010119900307123x here']) {
        await assert.rejects(
          audit.record({ type: 'login.failed', method: 'id-card-password', reason: leak }),
          (e: unknown) => e instanceof Error && /resident ID number/.test(e.message) && !e.message.includes(leak),
        );
      }
      await assert.rejects(
        audit.record({ type: 'logout', subjectIndex: SUBJECT, clients: ['a', '110101199003071234'] }),
        /resident ID number/,
      );
      await assert.rejects(
        audit.record({ type: 'credential.bound', method: 'sms-otp', subjectIndex: '110101199003071234' }),
        /resident ID number/,
      );
      assert.deepEqual(await audit.verifyChain(), before);
      // Longer digit runs (e.g. an authority's transaction number) are not ID numbers.
      await audit.record({ type: 'login.failed', method: 'bank-card', reason: 'txn 2025010112345678901234' });
    });

    it('detects a row whose data was changed, at that row', async () => {
      const { rows } = await db.query<{ seq: string }>('SELECT seq FROM audit_log ORDER BY seq');
      const target = rows[5]!.seq;
      await db.query(`UPDATE audit_log SET data = jsonb_set(data, '{scope}', '"forged"') WHERE seq = $1`, [target]);
      const result = await audit.verifyChain();
      assert.equal(result.ok, false);
      assert.equal(result.brokenAt, String(target));
      assert.equal(result.checked, 6);
    });

    it('detects a deleted row at its successor', async () => {
      const fresh = await backend.open();
      await runMigrations(fresh);
      const log = createAuditLog(fresh);
      for (let i = 0; i < 4; i++) await log.record({ type: 'keys.rotated', activated: [`k${i}`], published: [] });
      const { rows } = await fresh.query<{ seq: string }>('SELECT seq FROM audit_log ORDER BY seq');
      await fresh.query('DELETE FROM audit_log WHERE seq = $1', [rows[1]!.seq]);
      assert.deepEqual(await log.verifyChain(), { ok: false, checked: 2, brokenAt: String(rows[2]!.seq) });
      await fresh.close();
    });
  });
}
