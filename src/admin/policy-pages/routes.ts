/**
 * /admin/policy pages: the policy in force; edit a method, a department or the global settings;
 * the confirm step shows the diff against the version in force and whether a second admin must
 * approve BEFORE anything is submitted; versions with their diffs and a rollback per version.
 * Every change is proposed through the change service, like the API's.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { dateTime, t } from '../../i18n/ui.ts';
import type { AdminDeps } from '../deps.ts';
import { csrfTokenOf, requireRole } from '../auth.ts';
import { adminOf, hasRole } from '../principal.ts';
import { assessPolicyChange, changeLine } from '../changes/impact.ts';
import { unsafePolicyChange } from '../changes/policy-safety.ts';
import { afterProposal, csrfField, langOf, noticeOf, orProblem } from '../changes/page-kit.ts';
import { clientFields, readClient } from './client-fields.ts';
import { fieldsFor, readFields } from './fields.ts';
import { confirmPage, editPage, overviewPage, versionsPage, type PageBase } from './views.ts';
import { bodyOf } from '../changes/api-common.ts';
import { elderOf } from '../../web/elder.ts';

const clientId = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/);
const proposeForm = z.object({ document: z.string().min(2).max(250_000), baseVersion: z.coerce.number().int().min(1), reason: z.string().max(2000) });
const rollbackForm = z.object({ version: z.coerce.number().int().min(1), reason: z.string().max(2000) });
const READERS = requireRole('policy_admin', 'auditor');
const EDITORS = requireRole('policy_admin');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed_body');
  }
}


export function policyPages(deps: AdminDeps): express.Router {
  const router = express.Router();
  const base = (req: Request, res: Response): PageBase => ({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), csrfField: csrfField(res) });
  const send = (res: Response, body: string, status = 200) => res.status(status).set('cache-control', 'no-store').type('html').send(body);
  const methodIds = () => Object.keys(deps.policy.current().document.methods);

  router.get('/policy', READERS, (req, res) => {
    const { version, document } = deps.policy.current();
    const b = base(req, res);
    send(res, overviewPage({ ...b, version, doc: document, canEdit: hasRole(adminOf(res), 'policy_admin'), notice: noticeOf(b.lang, req.query, (d) => dateTime(b.lang, d)) }));
  });

  router.get('/policy/methods/:id', EDITORS, (req, res) => {
    const entry = deps.policy.current().document.methods[req.params.id as string];
    if (!entry) throw new AppError('not_found');
    const b = base(req, res);
    send(res, editPage({ ...b, title: t(b.lang, 'chgEditMethod', { id: req.params.id as string }), section: 'method', id: req.params.id as string, fields: fieldsFor(b.lang, entry) }));
  });

  router.get(['/policy/clients', '/policy/clients/:id'], EDITORS, (req, res) => {
    const id = clientId.safeParse(req.params.id ?? req.query.id);
    if (!id.success) throw new AppError('invalid_input', { params: { field: 'id' } });
    const rule = deps.policy.current().document.clients[id.data] ?? {};
    const b = base(req, res);
    send(res, editPage({ ...b, title: t(b.lang, 'chgEditDepartment', { id: id.data }), section: 'client', id: id.data, fields: clientFields(b.lang, rule, methodIds()) }));
  });

  router.get('/policy/global', EDITORS, (req, res) => {
    const b = base(req, res);
    send(res, editPage({ ...b, title: t(b.lang, 'chgEditGlobal'), section: 'global', id: 'global', fields: fieldsFor(b.lang, deps.policy.current().document.global) }));
  });

  /** The document the form would make, and where its edit page is. */
  function proposed(body: Record<string, unknown>): { doc: unknown; back: string } {
    const { document } = deps.policy.current();
    const id = typeof body.id === 'string' ? body.id : '';
    switch (body.section) {
      case 'method': {
        const entry = document.methods[id];
        if (!entry) throw new AppError('not_found');
        return { doc: { ...document, methods: { ...document.methods, [id]: readFields(entry, body) } }, back: `/admin/policy/methods/${encodeURIComponent(id)}` };
      }
      case 'client': {
        if (!clientId.safeParse(id).success) throw new AppError('invalid_input', { params: { field: 'id' } });
        const clients = { ...document.clients, [id]: readClient(body) };
        // an empty override is no override: the registration decides
        if (Object.keys(clients[id]!).length === 0) delete clients[id];
        return { doc: { ...document, clients }, back: `/admin/policy/clients/${encodeURIComponent(id)}` };
      }
      case 'global':
        return { doc: { ...document, global: readFields(document.global, body) }, back: '/admin/policy/global' };
      case 'import': {
        const parsed = parseJson(typeof body.document === 'string' ? body.document : '');
        // an exported file ({ version, document }) or a bare document
        const doc = typeof parsed === 'object' && parsed !== null && 'version' in parsed && 'document' in parsed ? (parsed as { document: unknown }).document : parsed;
        return { doc, back: '/admin/policy' };
      }
      default:
        throw new AppError('invalid_input', { params: { field: 'section' } });
    }
  }

  router.post('/policy/preview', EDITORS, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    await orProblem(res, req.originalUrl, '/admin/policy', async () => {
      const { doc, back } = proposed(body);
      const { version, document } = deps.policy.current();
      const after = deps.policy.check(doc);
      const unsafe = unsafePolicyChange(document, after);
      if (unsafe) throw new AppError(unsafe.code, { params: unsafe.params });
      const { needsApproval, changes } = assessPolicyChange(document, after);
      if (!changes.length) throw new AppError('change_nothing');
      send(res, confirmPage({ ...base(req, res), version, summary: changes.map(changeLine), needsApproval, hours: Math.round((deps.changes.windowSeconds / 3600) * 10) / 10, document: JSON.stringify(after), back }));
    });
  });

  router.post('/policy/propose', EDITORS, async (req, res) => {
    await orProblem(res, req.originalUrl, '/admin/policy', async () => {
      const f = bodyOf(proposeForm, req.body);
      const result = await deps.changes.propose('policy.update', { document: parseJson(f.document), baseVersion: f.baseVersion }, adminOf(res), f.reason);
      res.redirect(303, afterProposal('/admin/policy', result));
    });
  });

  router.get('/policy/versions', READERS, async (req, res) => {
    const b = base(req, res);
    const versions = await deps.policy.versions(50);
    send(res, versionsPage({ ...b, current: deps.policy.current().version, versions, canRollBack: hasRole(adminOf(res), 'policy_admin'), notice: noticeOf(b.lang, req.query, (d) => dateTime(b.lang, d)) }));
  });

  router.post('/policy/rollback', EDITORS, async (req, res) => {
    await orProblem(res, req.originalUrl, '/admin/policy/versions', async () => {
      const f = bodyOf(rollbackForm, req.body);
      const result = await deps.changes.propose('policy.rollback', { version: f.version }, adminOf(res), f.reason);
      res.redirect(303, afterProposal('/admin/policy/versions', result));
    });
  });

  return router;
}
