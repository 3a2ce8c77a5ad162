/** OpenAPI 3.1 `paths` of the helpdesk API (relative to /admin/api), and the small builders the operations areas share. */
const error = { $ref: '#/components/schemas/Error' };
export const jsonOf = (schema: unknown) => ({ content: { 'application/json': { schema } } });
export const failures = {
  '400': { description: 'input not valid', ...jsonOf(error) },
  '403': { description: 'a role is missing, or the CSRF token', ...jsonOf(error) },
  '404': { description: 'not found', ...jsonOf(error) },
  '409': { description: 'refused in this state', ...jsonOf(error) },
};
export const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', required, properties });
export const reason = { type: 'string', minLength: 2, maxLength: 500, description: 'why (kept in the audit trail; no personal numbers)' };
export const body = (schema: unknown) => ({ requestBody: { required: true, ...jsonOf(schema) } });
export const op = (operationId: string, summary: string, extra: Record<string, unknown>, responses: Record<string, unknown>) => ({ operationId, summary, ...extra, responses });
export const ok = (description: string, schema: unknown = {}, status = '200') => ({ [status]: { description, ...jsonOf(schema) }, ...failures });
export const pathParam = (name: string, schema: unknown = { type: 'string' }) => ({ parameters: [{ name, in: 'path', required: true, schema }] });
const time = { type: 'string', format: 'date-time' };
const lookup = pathParam('id');

export const helpdeskPaths: Record<string, unknown> = {
  '/helpdesk/lookups': {
    post: op(
      'helpdeskLookUp',
      'Find a citizen by ID number (through its blind index; the number is neither stored nor returned). Audited with the reason; the look-up id is valid 15 minutes for this admin (helpdesk)',
      body(obj({ id_number: { type: 'string', minLength: 18, maxLength: 18 }, reason })),
      ok('found', obj({ lookup_id: { type: 'string' }, expires_in: { type: 'integer' } }), '201'),
    ),
  },
  '/helpdesk/lookups/{id}': {
    get: op(
      'helpdeskCitizen',
      'The citizen’s sign-in methods, locks in force and active sessions',
      lookup,
      ok(
        'the citizen',
        obj({
          masked_name: { type: 'string' },
          proofing: { enum: ['none', 'remote', 'in_person'] },
          methods: { type: 'array', items: obj({ method: { type: 'string' }, status: { type: 'string' }, created_at: time, last_used_at: { type: ['string', 'null'] } }) },
          locks: { type: 'array', items: obj({ method: { type: 'string' }, scope: { type: 'string' }, since: time, until: time }) },
          sessions: { type: 'array', items: obj({ device: { type: 'string' }, since: { type: ['string', 'null'] }, departments: { type: 'array', items: { type: 'string' } } }) },
        }),
      ),
    ),
  },
  '/helpdesk/lookups/{id}/lift': {
    post: op('helpdeskLift', 'Lift every sign-in lock of the citizen (audited, shown in the citizen’s activity)', { ...lookup, ...body(obj({ reason })) }, ok('lifted', obj({ status: { const: 'lifted' }, methods: { type: 'array', items: { type: 'string' } } }))),
  },
  '/helpdesk/lookups/{id}/end-sessions': {
    post: op(
      'helpdeskEndSessions',
      'End every session of the citizen; each department is told by back-channel logout (audited, shown in the citizen’s activity)',
      { ...lookup, ...body(obj({ reason })) },
      ok('ended', obj({ status: { const: 'ended' }, sessions: { type: 'integer' }, clients: { type: 'array', items: { type: 'string' } } })),
    ),
  },
};
