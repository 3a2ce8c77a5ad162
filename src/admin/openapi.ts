/**
 * The admin API's OpenAPI 3.1 document: the paths every area declares, merged, plus /me and
 * the document itself, with both ways in (the console's cookie with its CSRF header, and a
 * client-credentials token with admin scopes).
 */
import type { AdminArea } from './area.ts';
import { ADMIN_COOKIE } from './auth.ts';
import { ADMIN_ROLES, ADMIN_SCOPE_PREFIX, adminApiResource } from './roles.ts';

const error = { $ref: '#/components/schemas/Error' };
const errorResponses = {
  '401': { description: 'not signed in, session ended, or token not valid', content: { 'application/json': { schema: error } } },
  '403': { description: 'a role is missing, or the CSRF token', content: { 'application/json': { schema: error } } },
};

const OWN_PATHS: Record<string, unknown> = {
  '/me': {
    get: {
      operationId: 'adminMe',
      summary: 'Who is calling: actor, roles, and for the console the CSRF token to send back',
      responses: {
        '200': {
          description: 'the caller',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['actor_id', 'via', 'roles', 'areas'],
                properties: {
                  actor_id: { type: 'string' },
                  via: { enum: ['console', 'token'] },
                  roles: { type: 'array', items: { enum: [...ADMIN_ROLES] } },
                  person_id: { type: 'string' },
                  name: { type: ['string', 'null'] },
                  client_id: { type: 'string' },
                  csrf_token: { type: 'string' },
                  areas: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        ...errorResponses,
      },
    },
  },
  '/openapi.json': {
    get: { operationId: 'adminOpenApi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
  },
};

export function openApiDocument(issuer: string, areas: readonly AdminArea[]): Record<string, unknown> {
  const paths: Record<string, unknown> = { ...OWN_PATHS };
  for (const area of areas) {
    for (const [path, item] of Object.entries(area.openapi ?? {})) {
      // two areas on one path would hide each other's methods: merged method by method
      const before = (paths[path] ?? {}) as Record<string, unknown>;
      paths[path] = { ...before, ...(item as Record<string, unknown>) };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tongban ID admin API',
      version: '1',
      description:
        'Everything the security admin console does. Console callers send the session cookie and, on every change, the X-CSRF-Token from GET /me; ' +
        'automation uses a client-credentials access token from this provider carrying admin:<role> scopes the client is registered with.',
    },
    servers: [{ url: adminApiResource(issuer) }],
    security: [{ adminSession: [], csrfToken: [] }, { adminToken: [] }],
    paths,
    components: {
      securitySchemes: {
        adminSession: { type: 'apiKey', in: 'cookie', name: ADMIN_COOKIE, description: 'the console session after the level-3 sign-in at /admin' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'required with the session cookie on every request but GET' },
        adminToken: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer}/token`,
              scopes: Object.fromEntries(ADMIN_ROLES.map((r) => [`${ADMIN_SCOPE_PREFIX}${r}`, `the ${r} role`])),
            },
          },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string', description: 'stable error code' },
            message: { type: 'object', properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } } },
            retry_after: { type: 'integer' },
          },
        },
      },
    },
  };
}
