/**
 * /admin/api/admins: who administers, with which roles; adding an admin (named by ID number,
 * found through its blind index and never kept), changing roles, deactivating. Every change is
 * a change request an admin_admin proposes and another approves (changes/admin-kinds.ts).
 */
import express from 'express';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminDeps } from './deps.ts';
import { requireRole } from './auth.ts';
import { adminOf } from './principal.ts';
import { ADMIN_ROLES } from './roles.ts';
import { bodyOf, sendProposal } from './changes/api-common.ts';

const reason = z.string().max(2000);
const roles = z.array(z.enum(ADMIN_ROLES)).min(1).max(ADMIN_ROLES.length);
const addBody = z.object({ id_number: z.string().trim().min(1).max(18), roles, reason }).strict();
const rolesBody = z.object({ roles, reason }).strict();
const deactivateBody = z.object({ reason }).strict();
const personParam = z.uuid();

/** The admins with their names (for admin_admin and auditors only). */
export async function adminList(deps: AdminDeps) {
  const all = await deps.admins.list();
  return Promise.all(all.map(async (a) => ({ ...a, name: (await deps.identity.getPerson(a.personId))?.name ?? '' })));
}

/** The person with this ID number, looked up by its blind index; 404 when nobody has it. */
export async function personByIdNumber(deps: AdminDeps, idNumber: string): Promise<string> {
  const id = await deps.identity.findPersonIdByIdNumber(idNumber.toUpperCase()).catch(() => null);
  if (!id) throw new AppError('admins_person_unknown');
  return id;
}

function personOf(raw: string): string {
  const p = personParam.safeParse(raw);
  if (!p.success) throw new AppError('admins_unknown');
  return p.data;
}

export function adminsApi(deps: AdminDeps): express.Router {
  const router = express.Router();
  router.use('/admins', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.get('/admins', requireRole('admin_admin', 'auditor'), async (_req, res) => {
    const list = await adminList(deps);
    res.json({
      admins: list.map((a) => ({ person_id: a.personId, name: a.name, roles: a.roles, active: a.active, created_at: a.createdAt.toISOString(), created_by: a.createdBy })),
    });
  });

  router.post('/admins', async (req, res) => {
    const b = bodyOf(addBody, req.body);
    const admin = adminOf(res);
    // only an admin_admin learns whether an ID number has a Tongban ID
    if (!admin.roles.includes('admin_admin')) throw new AppError('change_role_required', { params: { roles: 'admin_admin' } });
    const personId = await personByIdNumber(deps, b.id_number);
    sendProposal(res, await deps.changes.propose('admins.add', { personId, roles: b.roles }, admin, b.reason));
  });

  router.post('/admins/:person/roles', async (req, res) => {
    const b = bodyOf(rolesBody, req.body);
    sendProposal(res, await deps.changes.propose('admins.roles', { personId: personOf(req.params.person), roles: b.roles }, adminOf(res), b.reason));
  });

  router.post('/admins/:person/deactivate', async (req, res) => {
    const b = bodyOf(deactivateBody, req.body);
    sendProposal(res, await deps.changes.propose('admins.deactivate', { personId: personOf(req.params.person) }, adminOf(res), b.reason));
  });

  return router;
}
