/**
 * The helpdesk area (role helpdesk): find a citizen by ID number, see methods, locks and
 * sessions, lift the locks, end every session. The API under /admin/api/helpdesk, the pages
 * under /admin/helpdesk; both run the same functions (citizen.ts, actions.ts).
 */
import express, { type Response } from 'express';
import type { AdminArea } from '../area.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole, csrfTokenOf } from '../auth.ts';
import { adminOf, type AdminPrincipal } from '../principal.ts';
import type { Lang } from '../../i18n/text.ts';
import { t } from '../../i18n/ui.ts';
import { citizenView, lookUpCitizen, type HelpdeskDeps } from './citizen.ts';
import { endAllSessions, liftLockouts } from './actions.ts';
import { fieldOf, reasonOf } from './reason.ts';
import { citizenPage, findPage } from './views.ts';
import { helpdeskPaths } from './openapi.ts';
import { elderOf } from '../../web/elder.ts';

const helpdeskDeps = (d: AdminDeps): HelpdeskDeps => ({
  provider: d.provider,
  store: d.store,
  audit: d.audit,
  identity: d.identity,
  limits: d.limits,
  roles: { password: d.methodRoles.password, 'phone-otp': d.methodRoles['phone-otp'] },
});
const actor = (a: AdminPrincipal) => ({ actorId: a.actorId, roles: a.roles, address: a.address });
const langOf = (res: Response) => res.locals.lang as Lang;

function api(deps: AdminDeps): express.Router {
  const hd = helpdeskDeps(deps);
  const r = express.Router();
  r.use('/helpdesk', requireRole('helpdesk'));
  r.post('/helpdesk/lookups', async (req, res) => {
    const reason = reasonOf(req.body);
    const lookupId = await lookUpCitizen(hd, actor(adminOf(res)), fieldOf(req.body, 'id_number', 32), reason);
    res.status(201).set('cache-control', 'no-store').json({ lookup_id: lookupId, expires_in: 900 });
  });
  r.get('/helpdesk/lookups/:id', async (req, res) => {
    const v = await citizenView(hd, actor(adminOf(res)), req.params.id, langOf(res));
    res.set('cache-control', 'no-store').json({
      masked_name: v.maskedName,
      proofing: v.proofing,
      methods: v.methods.map((m) => ({ method: m.method, status: m.status, created_at: m.createdAt.toISOString(), last_used_at: m.lastUsedAt?.toISOString() ?? null })),
      locks: v.locks.map((l) => ({ method: l.method, scope: l.scope, since: l.since.toISOString(), until: l.until.toISOString() })),
      sessions: v.sessions.map((s) => ({ device: s.device, since: s.since?.toISOString() ?? null, departments: s.departments })),
    });
  });
  r.post('/helpdesk/lookups/:id/lift', async (req, res) => {
    const methods = await liftLockouts(hd, actor(adminOf(res)), req.params.id, reasonOf(req.body));
    res.json({ status: 'lifted', methods });
  });
  r.post('/helpdesk/lookups/:id/end-sessions', async (req, res) => {
    const ended = await endAllSessions(hd, actor(adminOf(res)), req.params.id, reasonOf(req.body));
    res.json({ status: 'ended', ...ended });
  });
  return r;
}

function pages(deps: AdminDeps): express.Router {
  const hd = helpdeskDeps(deps);
  const r = express.Router();
  const label = (lang: Lang) => (id: string) => { const m = deps.methods.get(id); return m ? t(lang, m.label) : id; };
  r.use('/helpdesk', requireRole('helpdesk'), (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  r.get('/helpdesk', (req, res) => {
    res.type('html').send(findPage(langOf(res), elderOf(res), csrfTokenOf(res), req.originalUrl));
  });
  r.post('/helpdesk/lookup', async (req, res) => {
    const lookupId = await lookUpCitizen(hd, actor(adminOf(res)), fieldOf(req.body, 'id_number', 32), reasonOf(req.body));
    res.redirect(303, `/admin/helpdesk/c/${lookupId}`);
  });
  r.get('/helpdesk/c/:id', async (req, res) => {
    const lang = langOf(res);
    const v = await citizenView(hd, actor(adminOf(res)), req.params.id, lang);
    res.type('html').send(citizenPage(lang, elderOf(res), csrfTokenOf(res), req.originalUrl, v, req.query.notice, label(lang)));
  });
  r.post('/helpdesk/c/:id/lift', async (req, res) => {
    await liftLockouts(hd, actor(adminOf(res)), req.params.id, reasonOf(req.body));
    res.redirect(303, `/admin/helpdesk/c/${req.params.id}?notice=lifted`);
  });
  r.post('/helpdesk/c/:id/end-sessions', async (req, res) => {
    await endAllSessions(hd, actor(adminOf(res)), req.params.id, reasonOf(req.body));
    res.redirect(303, `/admin/helpdesk/c/${req.params.id}?notice=ended`);
  });
  return r;
}

export const helpdeskArea: AdminArea = {
  id: 'helpdesk',
  api,
  pages,
  openapi: helpdeskPaths,
  nav: { path: '/admin/helpdesk', label: 'hdNav', roles: ['helpdesk'] },
};
