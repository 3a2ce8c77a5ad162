/**
 * /admin/api/changes: propose a change of any kind, list the requests waiting for the caller's
 * roles, read one, approve or reject it. The service (service.ts) refuses and audits.
 */
import express from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminDeps } from '../deps.ts';
import { adminOf, hasRole, type AdminPrincipal } from '../principal.ts';
import { CHANGE_KINDS } from './kinds.ts';
import { bodyOf, requestJson, sendProposal } from './api-common.ts';

const proposal = z.object({ kind: z.string().min(1).max(64), payload: z.unknown(), reason: z.string().max(2000) }).strict();
const decision = z.object({ reason: z.string().max(2000) }).strict();

export function mayDecide(admin: AdminPrincipal, kind: string): boolean {
  const k = CHANGE_KINDS.find((x) => x.kind === kind);
  return k !== undefined && hasRole(admin, ...k.roles);
}

export function approvalsApi(deps: AdminDeps): express.Router {
  const router = express.Router();
  router.use('/changes', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post('/changes', async (req, res) => {
    const b = bodyOf(proposal, req.body);
    sendProposal(res, await deps.changes.propose(b.kind, b.payload, adminOf(res), b.reason));
  });

  router.get('/changes', async (_req, res) => {
    const admin = adminOf(res);
    const [pending, recent] = await Promise.all([deps.changes.pending(admin.roles), deps.changes.recent(admin.roles, 50)]);
    res.json({ pending: pending.map(requestJson), recent: recent.map(requestJson) });
  });

  router.get('/changes/:id', async (req, res) => {
    const r = await deps.changes.get(req.params.id);
    // a request is shown to those who could decide it
    if (!r || !mayDecide(adminOf(res), r.kind)) throw new AppError('change_not_found');
    res.json(requestJson(r));
  });

  router.post('/changes/:id/approve', async (req, res) => {
    const b = bodyOf(decision, req.body);
    await deps.changes.approve(req.params.id, adminOf(res), b.reason);
    res.json({ status: 'applied' });
  });

  router.post('/changes/:id/reject', async (req, res) => {
    const b = bodyOf(decision, req.body);
    await deps.changes.reject(req.params.id, adminOf(res), b.reason);
    res.json({ status: 'rejected' });
  });

  return router;
}
