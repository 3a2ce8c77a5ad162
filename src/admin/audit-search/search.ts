/**
 * Audit search for auditors: by event type (exact, or a prefix ending in *), time range, actor,
 * department (client id) and citizen (the ID number turned into its blind index here and
 * dropped), newest first, paged by seq. Reads the chained log only: an event committed a moment
 * ago joins it within milliseconds (or at the next sweep).
 */
import { z } from 'zod';
import type { Queryable } from '../../store/database.ts';
import type { AuditRecord } from '../../audit/index.ts';
import { recordOf, type AuditRow } from '../../audit/audit-log.ts';
import { isoUtc } from '../../audit/chain-hash.ts';
import { parseIdNumber } from '../../crypto/id-number.ts';
import { AppError } from '../../errors.ts';

export const PAGE_MAX = 200;

const optional = (s: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), s.optional());

export const filterSchema = z
  .object({
    type: optional(z.string().max(64).regex(/^[a-z_.]+\*?$/, 'letters, "_" and "." (a final * for a prefix)')),
    from: optional(z.iso.datetime({ offset: true })),
    to: optional(z.iso.datetime({ offset: true })),
    actor: optional(z.string().max(200).regex(/^(person|client|cli):[A-Za-z0-9._@:-]+$/, 'person:…, client:… or cli:…')),
    client: optional(z.string().max(64).regex(/^[A-Za-z0-9._-]+$/, 'a client id')),
    citizen: optional(z.string().max(32)),
    before: optional(z.string().regex(/^[1-9]\d{0,18}$/, 'a seq')),
    limit: z.preprocess((v) => (v === undefined || v === '' ? undefined : Number(v)), z.number().int().min(1).max(PAGE_MAX).optional()),
  })
  .strip();

export type AuditFilter = z.infer<typeof filterSchema>;

/** The query string parsed, or 400 admin_audit_filter_invalid naming the field. */
export function parseFilter(query: unknown): AuditFilter {
  const r = filterSchema.safeParse(query ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('admin_audit_filter_invalid', { params: { detail: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` } });
  }
  return r.data;
}

/** WHERE clause and parameters; the citizen's ID number becomes its blind index (`indexOf`). */
export function whereOf(f: AuditFilter, indexOf: (idNumber: string) => string): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (f.type?.endsWith('*')) add((n) => `starts_with(type, ${n})`, f.type.slice(0, -1));
  else if (f.type) add((n) => `type = ${n}`, f.type);
  if (f.from) add((n) => `at >= ${n}::timestamptz`, f.from);
  if (f.to) add((n) => `at < ${n}::timestamptz`, f.to);
  if (f.actor) add((n) => `data->>'actorId' = ${n}`, f.actor);
  if (f.client) add((n) => `client_id = ${n}`, f.client);
  if (f.citizen) {
    const parsed = parseIdNumber(f.citizen);
    if (!parsed.ok) throw new AppError(parsed.code);
    add((n) => `subject_index = ${n}`, indexOf(f.citizen));
  }
  if (f.before) add((n) => `seq < ${n}::bigint`, f.before);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export async function searchAudit(q: Queryable, where: { sql: string; params: unknown[] }, limit: number): Promise<AuditRecord[]> {
  const { rows } = await q.query<AuditRow>(
    `SELECT seq::text AS seq, ${isoUtc('at')} AS at, type, subject_index, client_id, source, data::text AS data
       FROM audit_log ${where.sql} ORDER BY seq DESC LIMIT ${Math.max(1, Math.min(1000, Math.trunc(limit)))}`,
    where.params,
  );
  return rows.map(recordOf);
}

/** The page and the cursor of the next (older) one. */
export async function auditPage(q: Queryable, f: AuditFilter, indexOf: (idNumber: string) => string) {
  const limit = f.limit ?? 50;
  const rows = await searchAudit(q, whereOf(f, indexOf), limit + 1);
  const more = rows.length > limit;
  const records = more ? rows.slice(0, limit) : rows;
  return { records, next: more ? records[records.length - 1]!.seq : null };
}

/** The filters as the audit trail keeps them: the citizen only as a blind index. */
export function filtersForAudit(f: AuditFilter, indexOf: (idNumber: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['type', 'from', 'to', 'actor', 'client'] as const) if (f[k]) out[k] = f[k];
  if (f.citizen) out.citizenIndex = indexOf(f.citizen);
  return out;
}
