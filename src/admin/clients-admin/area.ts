/**
 * The department-apps area (role client_admin; auditors may look): list, register, edit,
 * disable and enable, rotate the secret (shown once), and scope changes through the
 * `clients.scopes` change kind. API under /admin/api/clients, pages under /admin/clients.
 */
import express, { type Request, type Response } from 'express';
import type { AdminArea } from '../area.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole, csrfTokenOf } from '../auth.ts';
import { adminOf, type AdminPrincipal } from '../principal.ts';
import type { Lang } from '../../i18n/text.ts';
import { AppError } from '../../errors.ts';
import { reasonOf } from '../helpdesk/reason.ts';
import { disableApp, enableApp, listClients, registerApp, rotateSecret, updateApp } from './actions.ts';
import { clientPage, clientsPage, secretPage } from './views.ts';
import { clientsPaths } from './openapi.ts';
import { elderOf } from '../../web/elder.ts';

const actor = (a: AdminPrincipal) => ({ actorId: a.actorId, roles: a.roles, address: a.address });
const idOf = (req: Request) => String(req.params.id);
const langOf = (res: Response) => res.locals.lang as Lang;

function documentOf(body: unknown): unknown {
  const doc = (body as { document?: unknown } | undefined)?.document;
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc;
  // the page sends the document as JSON text in a form field
  if (typeof doc === 'string') {
    try {
      const parsed = JSON.parse(doc) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch {
      // reported below
    }
  }
  throw new AppError('admin_client_invalid', { params: { detail: 'document: a JSON object' } });
}

const proposeScopes = (deps: AdminDeps, res: Response, id: string, body: unknown) => {
  const scope = (body as { scope?: unknown } | undefined)?.scope;
  return deps.changes.propose('clients.scopes', { clientId: id, scope: typeof scope === 'string' ? scope.trim() : scope }, adminOf(res), reasonOf(body));
};

function api(deps: AdminDeps): express.Router {
  const r = express.Router();
  r.get('/clients', requireRole('client_admin', 'auditor'), async (_req, res) => {
    res.json({ clients: await listClients(deps) });
  });
  r.use('/clients', requireRole('client_admin'), (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  r.post('/clients', async (req, res) => {
    const { clientId, secret } = await registerApp(deps, actor(adminOf(res)), documentOf(req.body), reasonOf(req.body));
    res.status(201).json({ client_id: clientId, ...(secret ? { client_secret: secret } : {}) });
  });
  r.put('/clients/:id', async (req, res) => {
    await updateApp(deps, actor(adminOf(res)), idOf(req), documentOf(req.body), reasonOf(req.body));
    res.json({ status: 'updated' });
  });
  r.post('/clients/:id/disable', async (req, res) => {
    await disableApp(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body));
    res.json({ status: 'disabled' });
  });
  r.post('/clients/:id/enable', async (req, res) => {
    await enableApp(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body));
    res.json({ status: 'enabled' });
  });
  r.post('/clients/:id/secret', async (req, res) => {
    res.json({ client_secret: await rotateSecret(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body)) });
  });
  r.post('/clients/:id/scopes', async (req, res) => {
    const result = await proposeScopes(deps, res, idOf(req), req.body);
    if (result.status === 'applied') res.json({ status: 'applied' });
    else res.status(202).json({ status: 'pending', request_id: result.requestId, expires_at: result.expiresAt.toISOString() });
  });
  return r;
}

function pages(deps: AdminDeps): express.Router {
  const r = express.Router();
  const back = (res: Response, id: string, notice: string) => res.redirect(303, `/admin/clients/${encodeURIComponent(id)}?notice=${notice}`);
  r.use('/clients', requireRole('client_admin'), (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  r.get('/clients', async (req, res) => {
    res.type('html').send(clientsPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), clients: await listClients(deps) }));
  });
  r.post('/clients', async (req, res) => {
    const { clientId, secret } = await registerApp(deps, actor(adminOf(res)), documentOf(req.body), reasonOf(req.body));
    if (secret) res.type('html').send(secretPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), clientId, secret }));
    else back(res, clientId, 'saved');
  });
  r.get('/clients/:id', async (req, res) => {
    const client = (await listClients(deps)).find((c) => c.client_id === idOf(req));
    if (!client) throw new AppError('admin_client_not_found');
    res.type('html').send(clientPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), client, notice: req.query.notice }));
  });
  r.post('/clients/:id', async (req, res) => {
    await updateApp(deps, actor(adminOf(res)), idOf(req), documentOf(req.body), reasonOf(req.body));
    back(res, idOf(req), 'saved');
  });
  r.post('/clients/:id/disable', async (req, res) => {
    await disableApp(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body));
    back(res, idOf(req), 'saved');
  });
  r.post('/clients/:id/enable', async (req, res) => {
    await enableApp(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body));
    back(res, idOf(req), 'saved');
  });
  r.post('/clients/:id/secret', async (req, res) => {
    const secret = await rotateSecret(deps, actor(adminOf(res)), idOf(req), reasonOf(req.body));
    res.type('html').send(secretPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), clientId: idOf(req), secret }));
  });
  r.post('/clients/:id/scopes', async (req, res) => {
    const result = await proposeScopes(deps, res, idOf(req), req.body);
    back(res, idOf(req), result.status === 'applied' ? 'saved' : 'pending');
  });
  return r;
}

export const clientsArea: AdminArea = {
  id: 'clients',
  api,
  pages,
  openapi: clientsPaths,
  nav: { path: '/admin/clients', label: 'clNav', roles: ['client_admin'] },
};
