/**
 * Audit export as CSV or JSON, streamed page by page (1000 rows a query, newest first) and
 * bounded (EXPORT_MAX rows), so a large trail never sits whole in memory. CSV cells that a
 * spreadsheet would run as a formula are prefixed with an apostrophe.
 */
import type { Response } from 'express';
import type { Queryable } from '../../store/database.ts';
import type { AuditRecord } from '../../audit/index.ts';
import { searchAudit } from './search.ts';

export const EXPORT_MAX = 100_000;
const BATCH = 1000;
const COLUMNS = ['seq', 'at', 'type', 'subject_index', 'client_id', 'source', 'data'] as const;

export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (r: AuditRecord) =>
  `${[r.seq, r.at, r.type, r.subjectIndex, r.clientId, r.source, JSON.stringify(r.data)].map(csvCell).join(',')}\r\n`;

const jsonOf = (r: AuditRecord) =>
  JSON.stringify({ seq: r.seq, at: r.at, type: r.type, subject_index: r.subjectIndex, client_id: r.clientId, source: r.source, data: r.data });

/** How many rows an export with this WHERE clause sends (at most EXPORT_MAX). */
export async function exportCount(q: Queryable, where: { sql: string; params: unknown[] }): Promise<number> {
  const { rows } = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM (SELECT 1 FROM audit_log ${where.sql} LIMIT ${EXPORT_MAX}) AS x`, where.params);
  return Number(rows[0]?.n ?? 0);
}

export async function streamExport(q: Queryable, res: Response, where: { sql: string; params: unknown[] }, format: 'csv' | 'json'): Promise<void> {
  const stamp = new Date().toISOString().replaceAll(':', '').slice(0, 15);
  res.status(200).set('cache-control', 'no-store');
  res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.${format}"`);
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.write(format === 'csv' ? `${COLUMNS.join(',')}\r\n` : '[');
  let sent = 0;
  let before: string | undefined;
  while (sent < EXPORT_MAX) {
    const n = where.params.length;
    const page = before ? { sql: `${where.sql ? `${where.sql} AND` : 'WHERE'} seq < $${n + 1}::bigint`, params: [...where.params, before] } : where;
    const rows = await searchAudit(q, page, Math.min(BATCH, EXPORT_MAX - sent));
    for (const r of rows) {
      res.write(format === 'csv' ? csvLine(r) : `${sent === 0 ? '' : ','}\n${jsonOf(r)}`);
      sent++;
    }
    if (rows.length < BATCH) break;
    before = rows[rows.length - 1]!.seq;
  }
  res.end(format === 'csv' ? '' : '\n]\n');
}
