/**
 * The signing-keys area (role key_admin): the keys with their status, and proposals to publish,
 * activate or withdraw one (each waits for a second key admin: /admin/api/changes). API under
 * /admin/api/keys, page under /admin/keys; auditors may look.
 */
import express, { type Response } from 'express';
import { z } from 'zod';
import type { AdminArea } from '../area.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole, csrfTokenOf } from '../auth.ts';
import { adminOf } from '../principal.ts';
import type { Lang } from '../../i18n/text.ts';
import { AppError } from '../../errors.ts';
import { SIGNING_ALGS } from '../../keys/index.ts';
import { reasonOf } from '../helpdesk/reason.ts';
import { keysPage } from './views.ts';
import { keysPaths } from './openapi.ts';
import { elderOf } from '../../web/elder.ts';

const algSchema = z.enum(SIGNING_ALGS);
const langOf = (res: Response) => res.locals.lang as Lang;

function algOf(body: unknown): (typeof SIGNING_ALGS)[number] {
  const r = algSchema.safeParse((body as { alg?: unknown } | undefined)?.alg);
  if (!r.success) throw new AppError('invalid_input', { params: { field: 'alg' } });
  return r.data;
}

/** The three proposals, shared by the API and the pages. */
function proposals(deps: AdminDeps) {
  return {
    publish: (res: Response, body: unknown) => deps.changes.propose('keys.rotate', { action: 'publish', alg: algOf(body) }, adminOf(res), reasonOf(body)),
    activate: (res: Response, kid: string, body: unknown) => deps.changes.propose('keys.rotate', { action: 'activate', kid }, adminOf(res), reasonOf(body)),
    retire: (res: Response, kid: string, body: unknown) => deps.changes.propose('keys.retire', { kid }, adminOf(res), reasonOf(body)),
  };
}

function sendProposal(res: Response, r: Awaited<ReturnType<AdminDeps['changes']['propose']>>) {
  if (r.status === 'applied') res.json({ status: 'applied' });
  else res.status(202).json({ status: 'pending', request_id: r.requestId, expires_at: r.expiresAt.toISOString() });
}

function api(deps: AdminDeps): express.Router {
  const r = express.Router();
  const p = proposals(deps);
  r.get('/keys', requireRole('key_admin', 'auditor'), async (_req, res) => {
    const keys = await deps.signingKeys.list();
    res.json({ keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, status: k.status, created_at: k.createdAt, activated_at: k.activatedAt, retired_at: k.retiredAt, removed_at: k.removedAt })) });
  });
  r.post('/keys/publish', requireRole('key_admin'), async (req, res) => sendProposal(res, await p.publish(res, req.body)));
  r.post('/keys/:kid/activate', requireRole('key_admin'), async (req, res) => sendProposal(res, await p.activate(res, String(req.params.kid), req.body)));
  r.post('/keys/:kid/retire', requireRole('key_admin'), async (req, res) => sendProposal(res, await p.retire(res, String(req.params.kid), req.body)));
  return r;
}

function pages(deps: AdminDeps): express.Router {
  const r = express.Router();
  const p = proposals(deps);
  const back = (res: Response, result: { status: string }) => res.redirect(303, `/admin/keys?notice=${result.status === 'applied' ? 'applied' : 'pending'}`);
  r.get('/keys', requireRole('key_admin', 'auditor'), async (req, res) => {
    const admin = adminOf(res);
    res.type('html').send(keysPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), keys: await deps.signingKeys.list(), canPropose: admin.roles.includes('key_admin'), notice: req.query.notice }));
  });
  r.post('/keys/publish', requireRole('key_admin'), async (req, res) => back(res, await p.publish(res, req.body)));
  r.post('/keys/:kid/activate', requireRole('key_admin'), async (req, res) => back(res, await p.activate(res, String(req.params.kid), req.body)));
  r.post('/keys/:kid/retire', requireRole('key_admin'), async (req, res) => back(res, await p.retire(res, String(req.params.kid), req.body)));
  return r;
}

export const keysArea: AdminArea = {
  id: 'keys',
  api,
  pages,
  openapi: keysPaths,
  nav: { path: '/admin/keys', label: 'kyNav', roles: ['key_admin', 'auditor'] },
};
