/**
 * The append-only audit log. Each row carries the hash of the one before, so an edited or
 * deleted row breaks the chain at that point (see verify-chain.ts).
 */
import type { Database } from '../store/database.ts';
import { isoUtc } from './chain-hash.ts';
import { createChainWriter } from './chain-writer.ts';
import type { AuditEvent, AuditRecord } from './events.ts';
import { verifyChain, type ChainHead, type ChainVerification } from './verify-chain.ts';

export interface AuditLog {
  record(event: AuditEvent & { source?: string }): Promise<void>;
  /** `anchor`: a head recorded earlier, which must still be in the chain unchanged */
  verifyChain(anchor?: ChainHead): Promise<ChainVerification>;
  /** Newest first. */
  listForSubject(subjectIndex: string, limit: number): Promise<AuditRecord[]>;
}

const MAX_LIST = 1000;

// An 18-character resident ID number standing on its own (not part of a longer digit run).
const LOOKS_LIKE_ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/;

/** The path of the first value that looks like a resident ID number, or null. */
function findIdNumber(value: unknown, path: string): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return LOOKS_LIKE_ID_NUMBER.test(String(value)) ? path : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findIdNumber(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (LOOKS_LIKE_ID_NUMBER.test(k)) return `${path} (a key)`;
      const hit = findIdNumber(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}

type Row = {
  seq: string;
  at: string;
  type: string;
  subject_index: string | null;
  client_id: string | null;
  source: string | null;
  data: string;
};

export function createAuditLog(db: Database): AuditLog {
  const chain = createChainWriter(db);
  return {
    async record(event) {
      const { type, source, clientId, subjectIndex, ...rest } = event as AuditEvent & {
        source?: string;
        clientId?: string;
        subjectIndex?: string;
      };
      // Round-trip through JSON now so the hashed value is exactly what jsonb gives back later.
      const data = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
      const columns = { type, subjectIndex: subjectIndex ?? null, clientId: clientId ?? null, source: source ?? null };
      // The last line of defence: a careless caller must not put an ID number into a permanent record.
      const leak = findIdNumber({ ...columns, data }, 'event');
      if (leak) throw new Error(`audit: refused ${type} event: ${leak} looks like a resident ID number`);

      await chain.append({ ...columns, data });
    },

    verifyChain(anchor) {
      return verifyChain(db, anchor);
    },

    async listForSubject(subjectIndex, limit) {
      const n = Math.max(1, Math.min(MAX_LIST, Math.trunc(limit) || 1));
      const { rows } = await db.query<Row>(
        `SELECT seq::text AS seq, ${isoUtc('at')} AS at, type, subject_index, client_id, source, data::text AS data
           FROM audit_log WHERE subject_index = $1 ORDER BY audit_log.seq DESC LIMIT ${n}`,
        [subjectIndex],
      );
      return rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        type: r.type,
        subjectIndex: r.subject_index,
        clientId: r.client_id,
        source: r.source,
        data: JSON.parse(r.data) as Record<string, unknown>,
      }));
    },
  };
}
