/**
 * The department-app (client) registration document, as written in config/clients/*.json or
 * given to `tongban clients add`. Parsed with zod at the edge; the secret is hashed before
 * anything is stored.
 */
import { z } from 'zod';
import { levelSchema } from '../validation/fields.ts';
import { ADMIN_SCOPE_PREFIX, ADMIN_SCOPES } from './admin-resource.ts';

export const LEVELS = [1, 2, 3] as const;
export const DEFAULT_SCOPE = 'openid profile phone proofing offline_access';
export const KNOWN_SCOPES = ['openid', 'offline_access', 'profile', 'phone', 'id_number', 'proofing'] as const;

const uri = z.url({ protocol: /^https?$/ });

export const clientDocument = z
  .object({
    client_id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'lowercase letters, digits, ".", "_" or "-", 3 to 64'),
    client_name: z.string().min(1).max(100),
    client_secret: z.string().min(32, 'at least 32 characters').max(256).optional(),
    client_secret_hash: z.string().startsWith('hmac-sha256$').optional(),
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'])
      .default('client_secret_basic'),
    redirect_uris: z.array(uri).max(20).default([]),
    post_logout_redirect_uris: z.array(uri).max(20).optional(),
    backchannel_logout_uri: uri.optional(),
    backchannel_logout_session_required: z.boolean().optional(),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']))
      .min(1)
      .default(['authorization_code', 'refresh_token']),
    scope: z
      .string()
      .refine((s) => s.split(' ').every((x) => (KNOWN_SCOPES as readonly string[]).includes(x) || ADMIN_SCOPES.includes(x)), {
        message: `each scope must be one of: ${KNOWN_SCOPES.join(', ')}, ${ADMIN_SCOPES.join(', ')}`,
      })
      .default(DEFAULT_SCOPE),
    subject_type: z.enum(['pairwise', 'public']).default('pairwise'),
    id_token_signed_response_alg: z.enum(['ES256', 'RS256']).default('ES256'),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
    jwks_uri: uri.optional(),
    application_type: z.enum(['web', 'native']).default('web'),
    /** skips the consent page: only for the city's own apps */
    tongban_first_party: z.boolean().default(false),
    /** every request of this client needs at least this level */
    tongban_min_level: levelSchema.default(1),
    /** a hall kiosk ("自助服务一体机"): device flow approved by counter staff, short sessions */
    tongban_kiosk: z.boolean().default(false),
    /** false: this department refuses sign-ins made on a citizen's behalf (family proxy); absent: accepted */
    tongban_proxy_allowed: z.boolean().optional(),
    /** when set, only these login methods are offered to this client */
    tongban_allowed_methods: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const confidentialSecret = c.token_endpoint_auth_method.startsWith('client_secret_');
    if (confidentialSecret && !c.client_secret && !c.client_secret_hash) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: `required for ${c.token_endpoint_auth_method}` });
    }
    if (!confidentialSecret && (c.client_secret || c.client_secret_hash)) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: `not used with ${c.token_endpoint_auth_method}` });
    }
    if (c.client_secret && c.client_secret_hash) {
      ctx.addIssue({ code: 'custom', path: ['client_secret_hash'], message: 'give client_secret or client_secret_hash, not both' });
    }
    if (c.token_endpoint_auth_method === 'private_key_jwt' && !c.jwks && !c.jwks_uri) {
      ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'private_key_jwt needs jwks or jwks_uri' });
    }
    if (c.grant_types.includes('authorization_code') && c.redirect_uris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'required for authorization_code' });
    }
    const device = c.grant_types.includes('urn:ietf:params:oauth:grant-type:device_code');
    if (device !== c.tongban_kiosk) {
      ctx.addIssue({ code: 'custom', path: ['tongban_kiosk'], message: 'the device flow is for kiosks only, and kiosks use it' });
    }
    if (device && c.subject_type === 'pairwise') {
      ctx.addIssue({ code: 'custom', path: ['subject_type'], message: 'kiosks use public subjects (they have no redirect URI to derive a sector from)' });
    }
    if (c.token_endpoint_auth_method === 'none' && c.grant_types.includes('client_credentials')) {
      ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'a public client cannot use client_credentials' });
    }
    // admin API scopes are for automation only: no person signs in through such a client
    if (c.scope.split(' ').some((x) => x.startsWith(ADMIN_SCOPE_PREFIX)) && (c.grant_types.length !== 1 || c.grant_types[0] !== 'client_credentials')) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'admin scopes need grant_types ["client_credentials"] and nothing else' });
    }
  });

export type ClientDocument = z.infer<typeof clientDocument>;
export type ClientInput = z.input<typeof clientDocument>;

export { describeIssues } from '../validation/issues.ts';

/** Turns a parsed document into provider metadata, with the secret already hashed. */
export function toProviderMetadata(doc: ClientDocument, hashSecret: (s: string) => string): Record<string, unknown> {
  const { client_secret, client_secret_hash, ...rest } = doc;
  const responseTypes = doc.grant_types.includes('authorization_code') ? ['code'] : [];
  return {
    ...rest,
    response_types: responseTypes,
    ...(client_secret ? { client_secret: hashSecret(client_secret) } : {}),
    ...(client_secret_hash ? { client_secret: client_secret_hash } : {}),
  };
}
