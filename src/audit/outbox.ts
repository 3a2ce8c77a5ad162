/**
 * Audit events that belong to an action go into audit_outbox inside the action's own
 * transaction: they commit with its rows or not at all. The chain writer links them into the
 * hash chain right after the commit (chain-writer.ts).
 */
import type { Queryable } from '../store/database.ts';
import { canonicalJson } from './chain-hash.ts';
import type { ChainRow } from './chain-writer.ts';
import { AuditRefused } from './prepare-event.ts';

// SQLSTATE classes where the database refused the row itself (a constraint, a trigger, a
// privilege, a value it cannot store), as opposed to a connection or timeout problem
const REFUSED = /^(22|23|42|P0)/;

/** Inserts the row into the outbox with `tx`; returns its id. */
export async function stageInOutbox(tx: Queryable, row: ChainRow): Promise<string> {
  try {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO audit_outbox (at, type, subject_index, client_id, source, data)
       VALUES ($1::timestamptz, $2, $3, $4, $5, $6::jsonb) RETURNING id::text AS id`,
      [new Date().toISOString(), row.type, row.subjectIndex, row.clientId, row.source, canonicalJson(row.data)],
    );
    return rows[0]!.id;
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? '');
    if (REFUSED.test(code)) throw new AuditRefused(`audit: the database refused the ${row.type} event (SQLSTATE ${code})`, err);
    throw err;
  }
}

/** How many committed events are still waiting to be chained. */
export async function countUnchained(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_outbox');
  return Number(rows[0]!.n);
}
