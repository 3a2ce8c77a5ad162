/** OpenAPI 3.1 `paths` of the policy, change-request and admins APIs (relative to /admin/api). */
import { ADMIN_ROLES } from '../roles.ts';

const error = { $ref: '#/components/schemas/Error' };
const jsonOf = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const failures = {
  '400': { description: 'input not valid', ...jsonOf(error) },
  '403': { description: 'a role is missing, self-approval, or CSRF', ...jsonOf(error) },
  '404': { description: 'not found', ...jsonOf(error) },
  '409': { description: 'unsafe, lapsed, already decided, or stale', ...jsonOf(error) },
};
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', required, properties });
const reason = { type: 'string', maxLength: 500, description: 'why (kept in the audit trail; no personal numbers)' };
const proposal = {
  '200': { description: 'only tightens: in force at once', ...jsonOf(obj({ status: { const: 'applied' } })) },
  '202': {
    description: 'waits for a second admin with the right role',
    ...jsonOf(obj({ status: { const: 'pending' }, request_id: { type: 'string', format: 'uuid' }, expires_at: { type: 'string', format: 'date-time' } })),
  },
  ...failures,
};
const request = obj({
  id: { type: 'string', format: 'uuid' },
  kind: { type: 'string' },
  status: { enum: ['pending', 'applied', 'rejected', 'lapsed'] },
  summary: { type: 'array', items: { type: 'string' } },
  payload: {},
  proposed_by: { type: 'string' },
  proposer_roles: { type: 'array', items: { enum: [...ADMIN_ROLES] } },
  reason: { type: 'string' },
  created_at: { type: 'string', format: 'date-time' },
  expires_at: { type: 'string', format: 'date-time' },
  decided_by: { type: ['string', 'null'] },
  decided_reason: { type: ['string', 'null'] },
  decided_at: { type: ['string', 'null'], format: 'date-time' },
});
const body = (schema: unknown) => ({ requestBody: { required: true, ...jsonOf(schema) } });
const op = (operationId: string, summary: string, extra: Record<string, unknown>, responses: Record<string, unknown>) => ({ operationId, summary, ...extra, responses });
const ok = (description: string, schema: unknown = {}) => ({ '200': { description, ...jsonOf(schema) }, ...failures });
const idParam = (name: string, schema: unknown) => ({ parameters: [{ name, in: 'path', required: true, schema }] });
const document = { type: 'object', description: 'a policy document (methods, clients, global)' };

export const policyPaths: Record<string, unknown> = {
  '/policy': { get: op('policyCurrent', 'The policy in force and its version (policy_admin, auditor)', {}, ok('current', obj({ version: { type: 'integer' }, document }))) },
  '/policy/versions': { get: op('policyVersions', 'Versions, newest first, each with author, time, reason and diff', {}, ok('versions')) },
  '/policy/versions/{n}': { get: op('policyVersion', 'One version’s document', idParam('n', { type: 'integer', minimum: 1 }), ok('the document')) },
  '/policy/diff': {
    get: op(
      'policyDiff',
      'Readable differences between two versions (to: the current one when absent)',
      { parameters: [{ name: 'from', in: 'query', required: true, schema: { type: 'integer' } }, { name: 'to', in: 'query', schema: { type: 'integer' } }] },
      ok('diff lines', obj({ from: { type: 'integer' }, to: { type: 'integer' }, diff: { type: 'array', items: { type: 'string' } } })),
    ),
  },
  '/policy/export': { get: op('policyExport', 'The current document as a JSON download ({ version, document })', {}, ok('attachment')) },
  '/policy/changes': {
    post: op('policyPropose', 'Propose a change: a partial document merged into the current one, or a whole one (policy_admin)', body(obj({ patch: { type: 'object' }, document, reason }, ['reason'])), proposal),
  },
  '/policy/import': { post: op('policyImport', 'Validate an imported document (or an export file) and propose it (policy_admin)', body(obj({ document, reason })), proposal) },
  '/policy/rollback': { post: op('policyRollback', 'Propose returning to version n; always needs a second policy_admin', body(obj({ version: { type: 'integer', minimum: 1 }, reason })), proposal) },
};

export const approvalPaths: Record<string, unknown> = {
  '/changes': {
    get: op('changesList', 'Requests waiting for a role of the caller, and recently decided ones', {}, ok('lists', obj({ pending: { type: 'array', items: request }, recent: { type: 'array', items: request } }))),
    post: op('changesPropose', 'Propose a change of any kind (policy.update, policy.rollback, admins.add, admins.roles, admins.deactivate, …)', body(obj({ kind: { type: 'string' }, payload: {}, reason })), proposal),
  },
  '/changes/{id}': { get: op('changesGet', 'One request', idParam('id', { type: 'string', format: 'uuid' }), ok('the request', request)) },
  '/changes/{id}/approve': {
    post: op('changesApprove', 'Approve: a second admin with a role of the kind; never the proposer; within the window', { ...idParam('id', { type: 'string', format: 'uuid' }), ...body(obj({ reason })) }, ok('in force', obj({ status: { const: 'applied' } }))),
  },
  '/changes/{id}/reject': {
    post: op('changesReject', 'Reject (or, for its proposer, withdraw) a request', { ...idParam('id', { type: 'string', format: 'uuid' }), ...body(obj({ reason })) }, ok('rejected', obj({ status: { const: 'rejected' } }))),
  },
};

const roles = { type: 'array', minItems: 1, items: { enum: [...ADMIN_ROLES] } };
export const adminsPaths: Record<string, unknown> = {
  '/admins': {
    get: op('adminsList', 'Admins, their roles and state (admin_admin, auditor)', {}, ok('admins')),
    post: op('adminsAdd', 'Propose a new admin, named by ID number (admin_admin; a second admin_admin approves)', body(obj({ id_number: { type: 'string' }, roles, reason })), proposal),
  },
  '/admins/{person}/roles': { post: op('adminsRoles', 'Propose new roles for an admin', { ...idParam('person', { type: 'string', format: 'uuid' }), ...body(obj({ roles, reason })) }, proposal) },
  '/admins/{person}/deactivate': { post: op('adminsDeactivate', 'Propose deactivating an admin', { ...idParam('person', { type: 'string', format: 'uuid' }), ...body(obj({ reason })) }, proposal) },
};
