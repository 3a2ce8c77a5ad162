/** OpenAPI 3.1 `paths` of the audit API (relative to /admin/api). */
import { failures, obj, op, ok } from '../helpdesk/openapi.ts';

const q = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const filters = [
  q('type', 'event type, or a prefix ending in *'),
  q('from', 'from this time (ISO 8601, inclusive)', { type: 'string', format: 'date-time' }),
  q('to', 'until this time (ISO 8601, exclusive)', { type: 'string', format: 'date-time' }),
  q('actor', "the acting admin: 'person:<id>', 'client:<id>' or 'cli:<user>'"),
  q('client', 'the department app (client id)'),
  q('citizen', 'a citizen’s ID number: searched by its blind index, never stored or returned'),
  q('before', 'only records older than this seq (paging)'),
];
const record = obj({
  seq: { type: 'string' },
  at: { type: 'string', format: 'date-time' },
  type: { type: 'string' },
  subject_index: { type: ['string', 'null'] },
  client_id: { type: ['string', 'null'] },
  source: { type: ['string', 'null'] },
  data: { type: 'object' },
});
const head = { type: ['object', 'null'], properties: { seq: { type: 'string' }, hash: { type: 'string' } } };

export const auditPaths: Record<string, unknown> = {
  '/audit/events': {
    get: op(
      'auditSearch',
      'Search the audit trail, newest first (auditor)',
      { parameters: [...filters, q('limit', '1 to 200 (default 50)', { type: 'integer', minimum: 1, maximum: 200 })] },
      ok('a page', obj({ records: { type: 'array', items: record }, next_before: { type: ['string', 'null'] } })),
    ),
  },
  '/audit/export': {
    get: op(
      'auditExport',
      'Export matching records (at most 100 000, newest first) as CSV or a JSON array, streamed; the export is itself audited (auditor)',
      { parameters: [q('format', 'csv or json', { enum: ['csv', 'json'] }), ...filters] },
      { '200': { description: 'the file', content: { 'text/csv': {}, 'application/json': { schema: { type: 'array', items: record } } } }, ...failures },
    ),
  },
  '/audit/verify': {
    get: op(
      'auditVerify',
      'Recompute the hash chain; with an anchor recorded earlier, also whether it is still there unchanged. The head returned is what to record elsewhere (auditor)',
      { parameters: [q('anchor_seq', 'seq of a head recorded earlier'), q('anchor_hash', 'its hash')] },
      ok('the result', obj({ ok: { type: 'boolean' }, checked: { type: 'integer' }, broken_at: { type: ['string', 'null'] }, head, anchor: { enum: ['found', 'missing', 'changed', null] } })),
    ),
  },
};
