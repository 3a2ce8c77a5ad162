/** OpenAPI 3.1 `paths` of the department-apps API (relative to /admin/api). */
import { body, jsonOf, failures, obj, op, ok, pathParam, reason } from '../helpdesk/openapi.ts';

const document = { type: 'object', description: 'a registration as in config/clients/*.json (the same checks as the CLI)' };
const id = pathParam('id');
const withReason = (more: Record<string, unknown> = {}) => ({ ...id, ...body(obj({ ...more, reason })) });

export const clientsPaths: Record<string, unknown> = {
  '/clients': {
    get: op('clientsList', 'Department apps, enabled and disabled, without their secrets (client_admin, auditor)', {}, ok('apps', obj({ clients: { type: 'array', items: { type: 'object' } } }))),
    post: op(
      'clientsRegister',
      'Register an app; one that uses a client secret and gives none gets one, returned this once. Sensitive scopes (id_number, phone, admin:*) are refused here: propose them with /clients/{id}/scopes',
      body(obj({ document, reason })),
      ok('registered', obj({ client_id: { type: 'string' }, client_secret: { type: 'string' } }, ['client_id']), '201'),
    ),
  },
  '/clients/{id}': { put: op('clientsUpdate', 'Replace an app’s registration (its secret stays; no sensitive scope added)', withReason({ document }), ok('updated')) },
  '/clients/{id}/disable': { post: op('clientsDisable', 'Take the app out of service on every instance (its registration is kept)', withReason(), ok('disabled')) },
  '/clients/{id}/enable': { post: op('clientsEnable', 'Put a disabled app back as it was', withReason(), ok('enabled')) },
  '/clients/{id}/secret': { post: op('clientsRotateSecret', 'A new client secret, returned this once; the old one stops working', withReason(), ok('the new secret', obj({ client_secret: { type: 'string' } }))) },
  '/clients/{id}/scopes': {
    post: op('clientsScopes', 'Set the app’s scopes (change kind clients.scopes): removing is in force at once, adding a sensitive scope waits for a second client_admin', withReason({ scope: { type: 'string' } }), {
      '200': { description: 'in force', ...jsonOf(obj({ status: { const: 'applied' } })) },
      '202': { description: 'waits for approval', ...jsonOf(obj({ status: { const: 'pending' }, request_id: { type: 'string' }, expires_at: { type: 'string' } })) },
      ...failures,
    }),
  },
};
