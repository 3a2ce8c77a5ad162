/**
 * /admin/admins: the admins, their roles and state; forms to change one's roles, deactivate
 * them, or add an admin by ID number (looked up by blind index, never shown back or kept).
 * Each is proposed as a change a second admin_admin approves.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Lang } from '../i18n/text.ts';
import { dateTime, t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import type { AdminDeps } from './deps.ts';
import { csrfTokenOf, requireRole } from './auth.ts';
import { roleLabel } from './home-views.ts';
import { adminOf, hasRole } from './principal.ts';
import { ADMIN_ROLES, isAdminRole, type AdminRole } from './roles.ts';
import { adminList, personByIdNumber } from './admins-api.ts';
import { afterProposal, csrfField, framedPage, langOf, noticeOf, orProblem, reasonField } from './changes/page-kit.ts';
import { AppError } from '../errors.ts';
import { bodyOf } from './changes/api-common.ts';
import { elderOf } from '../web/elder.ts';

const list = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const rolesForm = z.object({ roles: list, reason: z.string().max(2000) });
const addForm = z.object({ id_number: z.string().trim().min(1).max(18), roles: list, reason: z.string().max(2000) });
const deactivateForm = z.object({ reason: z.string().max(2000) });

function roleBoxes(lang: Lang, prefix: string, held: readonly AdminRole[]): Html {
  return html`<fieldset><legend>${t(lang, 'chgRoles')}</legend>${ADMIN_ROLES.map(
    (r) => html`<div class="check"><input type="checkbox" id="${prefix}-${r}" name="roles" value="${r}"${held.includes(r) ? html` checked` : ''}><label for="${prefix}-${r}">${roleLabel(lang, r)} <span class="code">${r}</span></label></div>`,
  )}</fieldset>`;
}

function rolesOf(raw: readonly string[]): AdminRole[] {
  if (!raw.length || !raw.every(isAdminRole)) throw new AppError('invalid_input', { params: { field: 'roles' } });
  return raw as AdminRole[];
}


export function adminsPages(deps: AdminDeps): express.Router {
  const router = express.Router();
  const back = '/admin/admins';

  router.get('/admins', requireRole('admin_admin', 'auditor'), async (req: Request, res: Response) => {
    const lang = langOf(res);
    const canEdit = hasRole(adminOf(res), 'admin_admin');
    const csrf = csrfField(res);
    const admins = await adminList(deps);
    res.set('cache-control', 'no-store').type('html').send(
      framedPage(
        { lang, elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res) },
        t(lang, 'chgAdminsTitle'),
        html`${noticeOf(lang, req.query, (d) => dateTime(lang, d))}
<p>${t(lang, 'chgAdminsNote')}</p>
${admins.map(
  (a, i) => html`<section aria-labelledby="a-${i}"><h2 id="a-${i}">${a.name}</h2>
<dl><dt>${t(lang, 'chgState')}</dt><dd>${t(lang, a.active ? 'chgActive' : 'chgInactive')}</dd>
<dt>${t(lang, 'chgRoles')}</dt><dd>${a.roles.map((r) => roleLabel(lang, r)).join(', ')}</dd></dl>
${canEdit && a.active
  ? html`<form method="post" action="/admin/admins/${a.personId}/roles">${csrf}${roleBoxes(lang, `a${i}`, a.roles)}${reasonField(lang, `roles-reason-${i}`)}<button type="submit">${t(lang, 'chgChangeRoles')}</button></form>
<form method="post" action="/admin/admins/${a.personId}/deactivate">${csrf}${reasonField(lang, `off-reason-${i}`)}<button type="submit" class="secondary">${t(lang, 'chgDeactivate')}</button></form>`
  : ''}
</section>`,
)}
${canEdit
  ? html`<h2>${t(lang, 'chgAddAdmin')}</h2>
<form method="post" action="/admin/admins">${csrf}
<label for="new-id">${t(lang, 'chgIdNumber')}</label><input type="text" id="new-id" name="id_number" required maxlength="18" autocomplete="off" inputmode="text">
${roleBoxes(lang, 'new', [])}${reasonField(lang, 'new-reason')}<button type="submit">${t(lang, 'chgAddAdmin')}</button></form>`
  : ''}
<p><a href="/admin">${t(lang, 'chgHome')}</a></p>`,
      ),
    );
  });

  router.post('/admins', requireRole('admin_admin'), async (req, res) => {
    await orProblem(res, req.originalUrl, back, async () => {
      const f = bodyOf(addForm, req.body);
      const personId = await personByIdNumber(deps, f.id_number);
      res.redirect(303, afterProposal(back, await deps.changes.propose('admins.add', { personId, roles: rolesOf(f.roles) }, adminOf(res), f.reason)));
    });
  });

  router.post('/admins/:person/roles', async (req, res) => {
    await orProblem(res, req.originalUrl, back, async () => {
      const f = bodyOf(rolesForm, req.body);
      res.redirect(303, afterProposal(back, await deps.changes.propose('admins.roles', { personId: req.params.person, roles: rolesOf(f.roles) }, adminOf(res), f.reason)));
    });
  });

  router.post('/admins/:person/deactivate', async (req, res) => {
    await orProblem(res, req.originalUrl, back, async () => {
      const f = bodyOf(deactivateForm, req.body);
      res.redirect(303, afterProposal(back, await deps.changes.propose('admins.deactivate', { personId: req.params.person }, adminOf(res), f.reason)));
    });
  });

  return router;
}
