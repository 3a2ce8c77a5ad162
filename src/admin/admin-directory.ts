/**
 * Security admins (PostgreSQL table `admins`): which person holds which roles. Writes take the
 * caller's transaction, which carries the change's audit event (`admins.changed`).
 */
import type { Database, Queryable } from '../store/database.ts';
import type { AuditedTx, AuditLog } from '../audit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { AppError } from '../errors.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { ADMIN_ROLES, isAdminRole, type AdminRole } from './roles.ts';

export interface AdminRecord {
  readonly personId: string;
  readonly roles: readonly AdminRole[];
  readonly active: boolean;
  readonly createdAt: Date;
  readonly createdBy: string;
}

type Row = { person_id: string; roles: string[]; active: boolean; created_at: Date | string; created_by: string };

const toRecord = (r: Row): AdminRecord => ({
  personId: r.person_id,
  // a role dropped from the code since it was granted reaches nothing
  roles: r.roles.filter(isAdminRole),
  active: r.active,
  createdAt: new Date(r.created_at),
  createdBy: r.created_by,
});

/** Roles in their canonical order, each once. */
export function normaliseRoles(roles: readonly AdminRole[]): AdminRole[] {
  return ADMIN_ROLES.filter((r) => roles.includes(r));
}

export function createAdminDirectory(db: Database) {
  const COLUMNS = 'person_id, roles, active, created_at, created_by';
  return {
    async get(personId: string, q: Queryable = db): Promise<AdminRecord | null> {
      const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM admins WHERE person_id = $1`, [personId]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    /** the record as it stands inside `q`, locked until q ends (for a change that reads before it writes) */
    async getForUpdate(personId: string, q: Queryable): Promise<AdminRecord | null> {
      const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM admins WHERE person_id = $1 FOR UPDATE`, [personId]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    /** creates or replaces the person's roles and state; `actor` is kept only on creation */
    async set(personId: string, s: { roles: readonly AdminRole[]; active: boolean }, actor: string, q: Queryable = db): Promise<void> {
      await q.query(
        `INSERT INTO admins (person_id, roles, active, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id) DO UPDATE SET roles = EXCLUDED.roles, active = EXCLUDED.active, updated_at = now()`,
        [personId, normaliseRoles(s.roles), s.active, actor],
      );
    },
    async list(q: Queryable = db): Promise<AdminRecord[]> {
      const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM admins ORDER BY created_at, person_id`);
      return rows.map(toRecord);
    },
    /** active admins holding `role` (for refusals such as "this would leave no admin_admin") */
    async countActiveWith(role: AdminRole, q: Queryable = db): Promise<number> {
      const { rows } = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM admins WHERE active AND $1 = ANY(roles)', [role]);
      return Number(rows[0]?.n ?? 0);
    },
  };
}

export type AdminDirectory = ReturnType<typeof createAdminDirectory>;

export interface AdminGrant {
  idNumber: string;
  /** needed only when the person is not known yet */
  name?: string;
  roles: readonly AdminRole[];
  active: boolean;
  reason: string;
  /** who does it: 'cli:<user>', 'person:<id>', 'client:<id>', and their admin roles */
  actor: { actorId: string; roles: readonly AdminRole[] };
  source?: string;
}

export interface AdminGrantDeps {
  audit: AuditLog;
  identity: IdentityService;
  admins: AdminDirectory;
  subjectIndexOf(idNumber: string): string;
}

/**
 * Makes a person an admin with `roles` (or changes their roles or state): the person found by
 * ID number or enrolled (proofed in person, as staff are), the record and its audit event in
 * one transaction (`tx` when the caller has one, e.g. an approved change request). Every read
 * goes through that transaction: the embedded database has one connection.
 */
export async function grantAdmin(
  deps: AdminGrantDeps,
  g: AdminGrant,
  tx?: AuditedTx,
): Promise<{ personId: string; before: AdminRecord | null; after: { roles: AdminRole[]; active: boolean } }> {
  const id = parseIdNumber(g.idNumber);
  if (!id.ok) throw new AppError(id.code);
  const idNumberIndex = deps.subjectIndexOf(id.value.idNumber);
  const run = async (q: AuditedTx) => {
    const { rows } = await q.query<{ id: string }>('SELECT id FROM persons WHERE id_number_index = $1', [idNumberIndex]);
    let personId = rows[0]?.id;
    if (!personId) {
      if (!g.name) throw new AppError('admin_person_unknown');
      personId = (await deps.identity.enrol(id.value.idNumber, { name: g.name, proofing: 'in_person', credentials: [] }, q)).personId;
    }
    const before = await deps.admins.getForUpdate(personId, q);
    const after = { roles: normaliseRoles(g.roles), active: g.active };
    await deps.admins.set(personId, after, g.actor.actorId, q);
    await q.audit({
      type: 'admins.changed',
      actorId: g.actor.actorId,
      roles: g.actor.roles,
      reason: g.reason,
      subjectIndex: idNumberIndex,
      before: before ? { roles: before.roles, active: before.active } : null,
      after,
      ...(g.source ? { source: g.source } : {}),
    });
    return { personId, before, after };
  };
  return tx ? run(tx) : deps.audit.transaction(run);
}
