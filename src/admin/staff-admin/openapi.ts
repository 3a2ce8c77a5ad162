/** OpenAPI 3.1 `paths` of the service centres and counter staff API (relative to /admin/api). */
import { body, obj, op, ok, pathParam, reason } from '../helpdesk/openapi.ts';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });

export const staffPaths: Record<string, unknown> = {
  '/staff': {
    get: op(
      'staffList',
      'Service centres and counter staff (staff_admin)',
      {},
      ok('the lists', obj({ centres: { type: 'array', items: obj({ id: { type: 'string' }, name: { type: 'string' }, district: { type: 'string' } }) }, staff: { type: 'array', items: obj({ person_id: { type: 'string' }, centre_id: { type: 'string' }, role: { type: 'string' }, display_name: { type: 'string' }, active: { type: 'boolean' } }) } })),
    ),
  },
  '/staff/centres': {
    post: op('staffAddCentre', 'Add a service centre (audited)', body(obj({ id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' }, name: text(100), district: text(50), reason })), ok('added', obj({ centre_id: { type: 'string' } }), '201')),
  },
  '/staff/members': {
    post: op(
      'staffAdd',
      'Add (or move) a member of counter staff: a person found or enrolled by ID number, proofed in person by the employer (audited)',
      body(obj({ id_number: { type: 'string', minLength: 18, maxLength: 18 }, name: text(50), centre: text(40), role: { enum: ['counter_staff', 'counter_supervisor'] }, display_name: text(40), reason })),
      ok('added', obj({ staff_id: { type: 'string', format: 'uuid' } }), '201'),
    ),
  },
  '/staff/members/{id}/deactivate': {
    post: op('staffDeactivate', 'Deactivate a member of counter staff: the console refuses them from their next request (audited)', { ...pathParam('id', { type: 'string', format: 'uuid' }), ...body(obj({ reason })) }, ok('deactivated', obj({ status: { const: 'deactivated' } }))),
  },
};
