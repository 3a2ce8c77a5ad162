/** The service centres and counter staff area (role staff_admin): API under /admin/api/staff, page under /admin/staff. */
import express, { type Response } from 'express';
import type { AdminArea } from '../area.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole, csrfTokenOf } from '../auth.ts';
import { adminOf, type AdminPrincipal } from '../principal.ts';
import type { Lang } from '../../i18n/text.ts';
import { reasonOf } from '../helpdesk/reason.ts';
import { addCentre, addStaffMember, deactivateStaff, listStaff } from './actions.ts';
import { staffPage } from './views.ts';
import { staffPaths } from './openapi.ts';
import { elderOf } from '../../web/elder.ts';

const actor = (a: AdminPrincipal) => ({ actorId: a.actorId, roles: a.roles, address: a.address });

function api(deps: AdminDeps): express.Router {
  const r = express.Router();
  r.use('/staff', requireRole('staff_admin'));
  r.get('/staff', async (_req, res) => {
    res.json(await listStaff(deps));
  });
  r.post('/staff/centres', async (req, res) => {
    res.status(201).json({ centre_id: await addCentre(deps, actor(adminOf(res)), req.body, reasonOf(req.body)) });
  });
  r.post('/staff/members', async (req, res) => {
    res.status(201).json({ staff_id: await addStaffMember(deps, actor(adminOf(res)), req.body, reasonOf(req.body)) });
  });
  r.post('/staff/members/:id/deactivate', async (req, res) => {
    await deactivateStaff(deps, actor(adminOf(res)), String(req.params.id), reasonOf(req.body));
    res.json({ status: 'deactivated' });
  });
  return r;
}

function pages(deps: AdminDeps): express.Router {
  const r = express.Router();
  const done = (res: Response) => res.redirect(303, '/admin/staff?done=1');
  r.use('/staff', requireRole('staff_admin'));
  r.get('/staff', async (req, res) => {
    res.set('cache-control', 'no-store').type('html').send(staffPage({ lang: res.locals.lang as Lang, elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), list: await listStaff(deps), done: req.query.done === '1' }));
  });
  r.post('/staff/centres', async (req, res) => {
    await addCentre(deps, actor(adminOf(res)), req.body, reasonOf(req.body));
    done(res);
  });
  r.post('/staff/members', async (req, res) => {
    await addStaffMember(deps, actor(adminOf(res)), req.body, reasonOf(req.body));
    done(res);
  });
  r.post('/staff/members/:id/deactivate', async (req, res) => {
    await deactivateStaff(deps, actor(adminOf(res)), String(req.params.id), reasonOf(req.body));
    done(res);
  });
  return r;
}

export const staffArea: AdminArea = {
  id: 'staff',
  api,
  pages,
  openapi: staffPaths,
  nav: { path: '/admin/staff', label: 'stNav', roles: ['staff_admin'] },
};
