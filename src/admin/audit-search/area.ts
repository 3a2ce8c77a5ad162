/**
 * The audit area (role auditor, read-only): search, export (CSV or JSON, streamed and bounded),
 * chain verification with the head to anchor elsewhere. API under /admin/api/audit, page under
 * /admin/audit. An export is itself audited (who, which filters, how many rows).
 */
import express, { type Response } from 'express';
import { z } from 'zod';
import type { AdminArea } from '../area.ts';
import type { AdminDeps } from '../deps.ts';
import { requireRole, csrfTokenOf } from '../auth.ts';
import { adminOf } from '../principal.ts';
import type { Lang } from '../../i18n/text.ts';
import { AppError } from '../../errors.ts';
import type { ChainHead } from '../../audit/index.ts';
import { auditPage as findPage, filtersForAudit, parseFilter, whereOf } from './search.ts';
import { exportCount, streamExport } from './export.ts';
import { auditPage } from './views.ts';
import { auditPaths } from './openapi.ts';
import { elderOf } from '../../web/elder.ts';

const anchorSchema = z
  .object({
    anchor_seq: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[1-9]\d{0,18}$/).optional()),
    anchor_hash: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9_=+/-]{16,128}$/).optional()),
  })
  .strip();

function anchorOf(query: unknown): ChainHead | undefined {
  const r = anchorSchema.safeParse(query ?? {});
  if (!r.success) throw new AppError('admin_audit_filter_invalid', { params: { detail: 'anchor_seq / anchor_hash' } });
  const { anchor_seq: seq, anchor_hash: hash } = r.data;
  if (!seq && !hash) return undefined;
  if (!seq || !hash) throw new AppError('admin_audit_filter_invalid', { params: { detail: 'anchor_seq and anchor_hash go together' } });
  return { seq, hash };
}

const recordJson = (r: { seq: string; at: string; type: string; subjectIndex: string | null; clientId: string | null; source: string | null; data: unknown }) => ({
  seq: r.seq,
  at: r.at,
  type: r.type,
  subject_index: r.subjectIndex,
  client_id: r.clientId,
  source: r.source,
  data: r.data,
});
const langOf = (res: Response) => res.locals.lang as Lang;

function api(deps: AdminDeps): express.Router {
  const r = express.Router();
  r.use('/audit', requireRole('auditor'), (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  r.get('/audit/events', async (req, res) => {
    const page = await findPage(deps.db, parseFilter(req.query), deps.subjectIndexOf);
    res.json({ records: page.records.map(recordJson), next_before: page.next });
  });
  r.get('/audit/export', async (req, res) => {
    const format = req.query.format === 'json' ? 'json' : req.query.format === 'csv' ? 'csv' : null;
    if (!format) throw new AppError('admin_audit_filter_invalid', { params: { detail: 'format: csv or json' } });
    const filter = parseFilter(req.query);
    const where = whereOf(filter, deps.subjectIndexOf);
    const admin = adminOf(res);
    const rows = await exportCount(deps.db, where);
    // recorded before the first byte leaves: an export cut short is still on the record
    await deps.audit.transaction((tx) =>
      tx.audit({ type: 'audit.exported', actorId: admin.actorId, roles: admin.roles, format, filters: filtersForAudit(filter, deps.subjectIndexOf), rows, source: admin.address }),
    );
    await streamExport(deps.db, res, where, format);
  });
  r.get('/audit/verify', async (req, res) => {
    const v = await deps.audit.verifyChain(anchorOf(req.query));
    res.json({ ok: v.ok, checked: v.checked, broken_at: v.brokenAt ?? null, head: v.head ?? null, anchor: v.anchor ?? null });
  });
  return r;
}

function pages(deps: AdminDeps): express.Router {
  const r = express.Router();
  r.use('/audit', requireRole('auditor'), (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  r.get('/audit', async (req, res) => {
    const filter = parseFilter(req.query);
    const searched = Object.keys(req.query).some((k) => k !== 'lang');
    const page = searched ? await findPage(deps.db, filter, deps.subjectIndexOf) : null;
    res.type('html').send(auditPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), filter, records: page?.records ?? null, next: page?.next ?? null, verification: null }));
  });
  r.get('/audit/verify', async (req, res) => {
    const verification = await deps.audit.verifyChain(anchorOf(req.query));
    res.type('html').send(auditPage({ lang: langOf(res), elder: elderOf(res), path: req.originalUrl, csrf: csrfTokenOf(res), filter: {}, records: null, next: null, verification }));
  });
  return r;
}

export const auditArea: AdminArea = {
  id: 'audit',
  api,
  pages,
  openapi: auditPaths,
  nav: { path: '/admin/audit', label: 'auNav', roles: ['auditor'] },
};
