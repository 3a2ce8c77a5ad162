/**
 * Walks the audit log in order and recomputes every hash. A row whose content was changed, or
 * whose predecessor was changed or deleted, is reported by its seq.
 * Removing rows from the very end cannot be seen from the chain alone. For that, the head
 * (seq and hash, returned with every check) is recorded somewhere else, and a later check
 * given it as an anchor fails unless that row is still there, unchanged, inside a sound chain.
 */
import type { Database } from '../store/database.ts';
import { GENESIS_HASH, isoUtc, rowHash } from './chain-hash.ts';

export interface ChainHead {
  seq: string;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  /** rows checked, including the broken one */
  checked: number;
  /** seq of the first row that does not verify */
  brokenAt?: string;
  /** the last row, when the chain is sound and not empty */
  head?: ChainHead;
  /** set when an anchor was given and the chain is sound: whether its row is still there as recorded */
  anchor?: 'found' | 'missing' | 'changed';
}

const BATCH = 1000;

export async function verifyChain(db: Database, anchor?: ChainHead): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let lastSeq = '0';
  let checked = 0;
  let anchorState: ChainVerification['anchor'] = anchor ? 'missing' : undefined;
  for (;;) {
    const { rows } = await db.query<{
      seq: string;
      at: string;
      type: string;
      subject_index: string | null;
      client_id: string | null;
      source: string | null;
      data: string;
      prev_hash: string;
      hash: string;
    }>(
      `SELECT seq::text AS seq, ${isoUtc('at')} AS at, type, subject_index, client_id, source,
              data::text AS data, prev_hash, hash
         FROM audit_log WHERE seq > $1::bigint ORDER BY audit_log.seq LIMIT ${BATCH}`,
      [lastSeq],
    );
    for (const r of rows) {
      checked++;
      let data: unknown;
      try {
        data = JSON.parse(r.data);
      } catch {
        return { ok: false, checked, brokenAt: r.seq };
      }
      const expected = rowHash({
        prevHash,
        type: r.type,
        at: r.at,
        subjectIndex: r.subject_index,
        clientId: r.client_id,
        source: r.source,
        data,
      });
      if (r.prev_hash !== prevHash || r.hash !== expected) return { ok: false, checked, brokenAt: r.seq };
      if (anchor && r.seq === anchor.seq) anchorState = r.hash === anchor.hash ? 'found' : 'changed';
      prevHash = r.hash;
      lastSeq = r.seq;
    }
    if (rows.length < BATCH) {
      const head = checked ? { head: { seq: lastSeq, hash: prevHash } } : {};
      return { ok: anchorState === undefined || anchorState === 'found', checked, ...head, ...(anchorState ? { anchor: anchorState } : {}) };
    }
  }
}
