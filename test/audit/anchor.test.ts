// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditLog, type AuditLog, type ChainHead } from '../../src/audit/index.ts';
import { rowHash } from '../../src/audit/chain-hash.ts';
import type { Database } from '../../src/store/database.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import { databaseBackends } from '../support/backends.ts';

for (const backend of databaseBackends()) {
  describe(`audit log anchored by a recorded head (${backend.name})`, () => {
    let db: Database;
    let audit: AuditLog;
    let anchor: ChainHead;
    before(async () => {
      db = await backend.open();
      await runMigrations(db);
      audit = createAuditLog(db);
      for (let i = 0; i < 6; i++) await audit.record({ type: 'keys.rotated', activated: [`k${i}`], published: [] });
    });
    after(async () => {
      await backend.dispose();
    });

    it('reports the head, which verifies as an anchor while the log only grows', async () => {
      const first = await audit.verifyChain();
      assert.equal(first.ok, true);
      anchor = first.head!;
      assert.match(anchor.hash, /^[0-9a-f]{64}$/);
      await audit.record({ type: 'keys.rotated', activated: ['k6'], published: [] });
      const later = await audit.verifyChain(anchor);
      assert.equal(later.ok, true);
      assert.equal(later.anchor, 'found');
      assert.notEqual(later.head!.seq, anchor.seq);
    });

    it('a log cut back below the anchor still chains, but fails against the anchor', async () => {
      await db.query('DELETE FROM audit_log WHERE seq >= $1::bigint', [anchor.seq]);
      const alone = await audit.verifyChain();
      assert.equal(alone.ok, true, 'the cut cannot be seen from the chain alone');
      const anchored = await audit.verifyChain(anchor);
      assert.equal(anchored.ok, false);
      assert.equal(anchored.anchor, 'missing');
      // a running writer still links its next row to the head it wrote, so the cut now shows in the chain itself
      await audit.record({ type: 'keys.rotated', activated: ['k7'], published: [] });
      const { rows } = await db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1');
      assert.deepEqual(await audit.verifyChain(), { ok: false, checked: Number(anchor.seq), brokenAt: rows[0]!.seq });
    });

    it('a tail rewritten with freshly computed hashes fails against the anchor', async () => {
      const fresh = await backend.open();
      await runMigrations(fresh);
      const log = createAuditLog(fresh);
      for (let i = 0; i < 3; i++) await log.record({ type: 'keys.rotated', activated: [`r${i}`], published: [] });
      const head = (await log.verifyChain()).head!;
      // rewrite the last row's content and give it a hash that chains correctly
      const { rows } = await fresh.query<{ at: string; prev_hash: string }>(
        `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, prev_hash FROM audit_log WHERE seq = $1::bigint`,
        [head.seq],
      );
      const data = { activated: ['forged'], published: [] };
      const forged = rowHash({ prevHash: rows[0]!.prev_hash, type: 'keys.rotated', at: rows[0]!.at, subjectIndex: null, clientId: null, source: null, data });
      await fresh.query('UPDATE audit_log SET data = $1::jsonb, hash = $2 WHERE seq = $3::bigint', [JSON.stringify(data), forged, head.seq]);
      assert.equal((await log.verifyChain()).ok, true, 'the rewrite chains');
      const anchored = await log.verifyChain(head);
      assert.equal(anchored.ok, false);
      assert.equal(anchored.anchor, 'changed');
      await fresh.close();
    });
  });
}
