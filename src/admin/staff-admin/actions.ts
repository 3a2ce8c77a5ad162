/**
 * Service centres and counter staff from the admin console (role staff_admin): the same
 * documents the CLI takes (centreDocument, staffDocument), each change in one transaction with
 * its audit row (actor, roles, reason, before/after; the staff member only by person id).
 */
import { z } from 'zod';
import type { AuditLog } from '../../audit/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import type { Database } from '../../store/database.ts';
import { centreDocument, staffDocument, type StaffDirectory } from '../../counter/staff-directory.ts';
import { parseIdNumber } from '../../crypto/id-number.ts';
import { AppError } from '../../errors.ts';
import { describeIssues } from '../../validation/issues.ts';
import type { Actor } from '../helpdesk/citizen.ts';

export interface StaffDeps {
  db: Database;
  audit: AuditLog;
  identity: IdentityService;
  staff: StaffDirectory;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('invalid_input', { params: { field: describeIssues(r.error) } });
  return r.data;
}

const who = (a: Actor, reason: string) => ({ actorId: a.actorId, roles: [...a.roles], reason, source: a.address });

export async function listStaff(deps: Pick<StaffDeps, 'db'>) {
  const [centres, staff] = await Promise.all([
    deps.db.query<{ id: string; name: string; district: string }>('SELECT id, name, district FROM service_centres ORDER BY id'),
    deps.db.query<{ person_id: string; centre_id: string; role: string; display_name: string; active: boolean }>(
      'SELECT person_id::text AS person_id, centre_id, role, display_name, active FROM staff ORDER BY centre_id, display_name',
    ),
  ]);
  return { centres: centres.rows, staff: staff.rows };
}

export async function addCentre(deps: StaffDeps, actor: Actor, input: unknown, reason: string): Promise<string> {
  const { reason: _r, _csrf, ...doc } = (input ?? {}) as Record<string, unknown>;
  const c = parse(centreDocument, doc);
  await deps.audit.transaction(async (tx) => {
    const added = await tx.query('INSERT INTO service_centres (id, name, district) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [c.id, c.name, c.district]);
    if (added.rowCount === 0) throw new AppError('admin_centre_exists');
    await tx.audit({ type: 'staff.changed', ...who(actor, reason), change: 'centre_added', centreId: c.id, before: null, after: { name: c.name, district: c.district } });
  });
  return c.id;
}

/** Staff are persons: found (or enrolled, proofed in person by their employer) by ID number, as the CLI does. */
export async function addStaffMember(deps: StaffDeps, actor: Actor, input: unknown, reason: string): Promise<string> {
  const { reason: _r, _csrf, ...doc } = (input ?? {}) as Record<string, unknown>;
  const s = parse(staffDocument, { ...doc, active: true });
  const id = parseIdNumber(s.id_number);
  if (!id.ok) throw new AppError(id.code);
  if (!(await deps.staff.centreExists(s.centre))) throw new AppError('admin_centre_not_found');
  return deps.audit.transaction(async (tx) => {
    const { personId } = await deps.identity.enrol(id.value.idNumber, { name: s.name, proofing: 'in_person', credentials: [] }, tx);
    const { rows } = await tx.query<{ centre_id: string; role: string; active: boolean }>('SELECT centre_id, role, active FROM staff WHERE person_id = $1', [personId]);
    await deps.staff.setStaff(personId, { centre: s.centre, role: s.role, displayName: s.display_name, active: true }, tx);
    const after = { centre: s.centre, role: s.role, displayName: s.display_name, active: true };
    const before = rows[0] ? { centre: rows[0].centre_id, role: rows[0].role, active: rows[0].active } : null;
    await tx.audit({ type: 'staff.changed', ...who(actor, reason), change: 'staff_added', centreId: s.centre, staffId: personId, before, after });
    return personId;
  });
}

export async function deactivateStaff(deps: StaffDeps, actor: Actor, staffId: string, reason: string): Promise<void> {
  if (!z.uuid().safeParse(staffId).success) throw new AppError('admin_staff_not_found');
  await deps.audit.transaction(async (tx) => {
    const { rows } = await tx.query<{ centre_id: string; active: boolean }>('SELECT centre_id, active FROM staff WHERE person_id = $1 FOR UPDATE', [staffId]);
    if (!rows[0]) throw new AppError('admin_staff_not_found');
    await deps.staff.setActive(staffId, false, tx);
    await tx.audit({ type: 'staff.changed', ...who(actor, reason), change: 'staff_deactivated', centreId: rows[0].centre_id, staffId, before: { active: rows[0].active }, after: { active: false } });
  });
}
