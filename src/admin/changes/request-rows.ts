/** The change_requests table: reading rows as ChangeRequest, and the statements the service runs. */
import type { Queryable } from '../../store/database.ts';
import { isAdminRole } from '../roles.ts';
import type { ChangeRequest, ChangeStatus } from './kind.ts';

export type Row = {
  id: string;
  kind: string;
  payload: unknown;
  summary: unknown;
  proposed_by: string;
  proposer_roles: string[];
  reason: string;
  status: ChangeStatus;
  created_at: Date | string;
  expires_at: Date | string;
  decided_by: string | null;
  decided_reason: string | null;
  decided_at: Date | string | null;
};

// jsonb arrives parsed from pg and from PGlite; text is parsed here just in case
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export function toRequest(r: Row): ChangeRequest {
  const summary = json(r.summary);
  return {
    id: r.id,
    kind: r.kind,
    payload: json(r.payload),
    summary: Array.isArray(summary) ? summary.map(String) : [],
    proposedBy: r.proposed_by,
    proposerRoles: r.proposer_roles.filter(isAdminRole),
    reason: r.reason,
    status: r.status,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    decidedBy: r.decided_by,
    decidedReason: r.decided_reason,
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at),
  };
}

export const COLUMNS = 'id, kind, payload, summary, proposed_by, proposer_roles, reason, status, created_at, expires_at, decided_by, decided_reason, decided_at';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertRequest(
  q: Queryable,
  r: { id: string; kind: string; payload: unknown; summary: string[]; proposedBy: string; roles: readonly string[]; reason: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO change_requests (id, kind, payload, summary, proposed_by, proposer_roles, reason, created_at, expires_at)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9)`,
    [r.id, r.kind, JSON.stringify(r.payload), JSON.stringify(r.summary), r.proposedBy, [...r.roles], r.reason, r.createdAt, r.expiresAt],
  );
}

export async function findRequest(q: Queryable, id: string, lock = false): Promise<ChangeRequest | null> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM change_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toRequest(rows[0]) : null;
}

/** Closes a pending request; false when it was no longer pending (someone decided first). */
export async function closeRequest(
  q: Queryable,
  id: string,
  status: Exclude<ChangeStatus, 'pending'>,
  by: { actorId: string; roles: readonly string[]; reason: string } | null,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE change_requests SET status = $2, decided_by = $3, decided_roles = $4, decided_reason = $5, decided_at = $6
      WHERE id = $1 AND status = 'pending'`,
    [id, status, by?.actorId ?? null, by ? [...by.roles] : null, by?.reason ?? null, at],
  );
  return rowCount === 1;
}

/** Pending requests whose window has ended, marked lapsed (each returned once, whoever runs this). */
export async function lapseExpired(q: Queryable, now: Date): Promise<ChangeRequest[]> {
  const { rows } = await q.query<Row>(
    `UPDATE change_requests SET status = 'lapsed', decided_at = $1 WHERE status = 'pending' AND expires_at <= $1 RETURNING ${COLUMNS}`,
    [now],
  );
  return rows.map(toRequest);
}

export async function listRequests(q: Queryable, kinds: readonly string[], open: boolean, limit: number): Promise<ChangeRequest[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM change_requests WHERE kind = ANY($1) AND ${open ? "status = 'pending'" : "status <> 'pending'"}
      ORDER BY ${open ? 'created_at' : 'decided_at DESC NULLS LAST'} LIMIT $2`,
    [[...kinds], limit],
  );
  return rows.map(toRequest);
}
