/**
 * /admin/api/policy: the policy in force, its versions and their diffs, export as a JSON
 * download, and the three ways to change it — a partial or whole document, an import (a whole
 * document validated, then proposed), and a rollback. Changes go through the change service:
 * tightening takes effect at once (200), anything else waits for a second policy admin (202).
 */
import express from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { diffDocuments } from '../../policy/policy-document.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole } from '../auth.ts';
import { adminOf } from '../principal.ts';
import { bodyOf, sendProposal } from './api-common.ts';

const reason = z.string().max(2000);
const json = z.record(z.string(), z.unknown());
const changeBody = z
  .object({ patch: json.optional(), document: json.optional(), reason })
  .strict()
  .refine((b) => (b.patch === undefined) !== (b.document === undefined), { message: 'give either patch or document', path: ['patch'] });
const importBody = z.object({ document: json, reason }).strict();
const rollbackBody = z.object({ version: z.number().int().min(1), reason }).strict();
const versionParam = z.coerce.number().int().min(1).max(2_147_483_647);

/** Who may read the policy: those who change it and those who audit. */
const READERS = requireRole('policy_admin', 'auditor');

export async function documentAt(deps: AdminDeps, n: number) {
  const doc = n === deps.policy.current().version ? deps.policy.current().document : await deps.policy.version(n);
  if (!doc) throw new AppError('policy_version_unknown');
  return doc;
}

export function policyApi(deps: AdminDeps): express.Router {
  const router = express.Router();
  router.use('/policy', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.get('/policy', READERS, (_req, res) => {
    const { version, document } = deps.policy.current();
    res.json({ version, document });
  });

  router.get('/policy/versions', READERS, async (_req, res) => {
    const list = await deps.policy.versions(100);
    res.json({
      versions: list.map((v) => ({
        version: v.version,
        actor_id: v.actorId,
        reason: v.reason,
        created_at: v.createdAt.toISOString(),
        diff: v.diff,
        ...(v.rollbackOf !== undefined ? { rollback_of: v.rollbackOf } : {}),
      })),
    });
  });

  router.get('/policy/versions/:n', READERS, async (req, res) => {
    const n = versionParam.safeParse(req.params.n);
    if (!n.success) throw new AppError('policy_version_unknown');
    res.json({ version: n.data, document: await documentAt(deps, n.data) });
  });

  router.get('/policy/diff', READERS, async (req, res) => {
    const current = deps.policy.current().version;
    const from = versionParam.safeParse(req.query.from);
    const to = req.query.to === undefined ? { success: true as const, data: current } : versionParam.safeParse(req.query.to);
    if (!from.success || !to.success) throw new AppError('invalid_input', { params: { field: from.success ? 'to' : 'from' } });
    const [a, b] = await Promise.all([documentAt(deps, from.data), documentAt(deps, to.data)]);
    res.json({ from: from.data, to: to.data, diff: diffDocuments(a, b) });
  });

  router.get('/policy/export', READERS, (_req, res) => {
    const { version, document } = deps.policy.current();
    res.set('content-disposition', `attachment; filename="tongban-policy-v${version}.json"`);
    res.type('application/json').send(`${JSON.stringify({ version, document }, null, 2)}\n`);
  });

  router.post('/policy/changes', async (req, res) => {
    const b = bodyOf(changeBody, req.body);
    const baseVersion = deps.policy.current().version;
    const payload = b.document ? { document: b.document, baseVersion } : { patch: b.patch };
    sendProposal(res, await deps.changes.propose('policy.update', payload, adminOf(res), b.reason));
  });

  router.post('/policy/import', async (req, res) => {
    const b = bodyOf(importBody, req.body);
    // an exported file ({ version, document }) or a bare document
    const doc = typeof b.document.document === 'object' && b.document.document !== null && 'version' in b.document ? b.document.document : b.document;
    sendProposal(res, await deps.changes.propose('policy.update', { document: doc, baseVersion: deps.policy.current().version }, adminOf(res), b.reason));
  });

  router.post('/policy/rollback', async (req, res) => {
    const b = bodyOf(rollbackBody, req.body);
    sendProposal(res, await deps.changes.propose('policy.rollback', { version: b.version }, adminOf(res), b.reason));
  });

  return router;
}
