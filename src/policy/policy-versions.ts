/**
 * The policy's versions in PostgreSQL (migrations/0010_policy_versions.sql): the newest row is
 * the policy in force. A new version is numbered under a transaction-scoped advisory lock, so
 * two admins saving at once get two versions, each with its diff against the one before it.
 */
import type { Queryable } from '../store/database.ts';
import { diffDocuments, type PolicyDocument } from './policy-document.ts';

// fixed key for pg_advisory_xact_lock: every instance numbering policy versions takes it
const LOCK_KEY = 7_204_118_310;

export const SEED_ACTOR = 'system:seed';

export interface VersionMeta {
  actorId: string;
  reason: string;
  /** the version whose document this one restores */
  rollbackOf?: number;
}

export interface VersionSummary {
  version: number;
  actorId: string;
  reason: string;
  createdAt: Date;
  diff: string[];
  rollbackOf?: number;
}

type Row = { version: number; actor_id: string; reason: string; created_at: Date | string; diff: string[]; rollback_of: number | null };

export async function latestVersionNumber(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM policy_versions');
  return Number(rows[0]?.v ?? 0);
}

/** The version in force (the newest), or null before the first is seeded. */
export async function latestVersion(q: Queryable): Promise<{ version: number; document: unknown } | null> {
  const { rows } = await q.query<{ version: number; document: unknown }>('SELECT version, document FROM policy_versions ORDER BY version DESC LIMIT 1');
  return rows[0] ?? null;
}

export async function documentOf(q: Queryable, version: number): Promise<unknown> {
  const { rows } = await q.query<{ document: unknown }>('SELECT document FROM policy_versions WHERE version = $1', [version]);
  return rows[0]?.document ?? null;
}

export async function listVersions(q: Queryable, limit: number): Promise<VersionSummary[]> {
  const { rows } = await q.query<Row>(
    'SELECT version, actor_id, reason, created_at, diff, rollback_of FROM policy_versions ORDER BY version DESC LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    actorId: r.actor_id,
    reason: r.reason,
    createdAt: new Date(r.created_at),
    diff: r.diff,
    ...(r.rollback_of !== null ? { rollbackOf: Number(r.rollback_of) } : {}),
  }));
}

/**
 * Writes `doc` as the next version in the caller's transaction. `basedOn`, when given, must be
 * the newest version (an edit made on an older one would silently undo what came between):
 * otherwise nothing is written and `{ conflict: newest }` comes back.
 */
export async function insertVersion(
  q: Queryable,
  doc: PolicyDocument,
  meta: VersionMeta,
  basedOn?: number,
): Promise<{ version: number; diff: string[] } | { conflict: number }> {
  await q.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
  const before = await latestVersion(q);
  const newest = before?.version ?? 0;
  if (basedOn !== undefined && basedOn !== newest) return { conflict: newest };
  const version = newest + 1;
  const diff = diffDocuments(before?.document ?? {}, doc);
  await q.query('INSERT INTO policy_versions (version, document, actor_id, reason, rollback_of, diff) VALUES ($1, $2, $3, $4, $5, $6)', [
    version,
    JSON.stringify(doc),
    meta.actorId,
    meta.reason,
    meta.rollbackOf ?? null,
    JSON.stringify(diff),
  ]);
  return { version, diff };
}

/**
 * Version 1, unless another instance starting at the same time wrote it first (the row's key
 * decides: the second insert waits for the first to commit and then does nothing). True when
 * this call wrote it.
 */
export async function seedFirstVersion(q: Queryable, doc: PolicyDocument, reason: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'INSERT INTO policy_versions (version, document, actor_id, reason) VALUES (1, $1, $2, $3) ON CONFLICT (version) DO NOTHING',
    [JSON.stringify(doc), SEED_ACTOR, reason],
  );
  return rowCount === 1;
}
