/**
 * The admin API as the provider's one resource server (RFC 8707), and the admin roles its
 * scopes name (`admin:<role>`; src/admin/roles.ts is where the rest of the code takes them
 * from). A client-credentials request naming admin scopes is for the admin API even without a
 * `resource` parameter; its tokens are opaque, have the admin API as audience and carry only
 * the admin scopes the client is registered with. Any other resource indicator is refused.
 */
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export const ADMIN_ROLES = ['policy_admin', 'client_admin', 'helpdesk', 'key_admin', 'staff_admin', 'admin_admin', 'auditor'] as const;
export const ADMIN_SCOPE_PREFIX = 'admin:';
/** `admin:<role>` for each role: the scopes a client may be registered with for the admin API. */
export const ADMIN_SCOPES: readonly string[] = ADMIN_ROLES.map((r) => `${ADMIN_SCOPE_PREFIX}${r}`);

/** The resource indicator of the admin API: its tokens' audience. */
export function adminApiResource(issuer: string): string {
  return `${issuer}/admin/api`;
}

type Features = NonNullable<Configuration['features']>;

// client-credentials tokens for the admin API live no longer than other access tokens
const ADMIN_TOKEN_TTL = 600;

const adminScopesIn = (scope: unknown): string[] =>
  typeof scope === 'string' ? scope.split(' ').filter((s) => s.startsWith(ADMIN_SCOPE_PREFIX)) : [];

export function adminResourceIndicators(issuer: string): Features['resourceIndicators'] {
  const resource = adminApiResource(issuer);
  return {
    enabled: true,
    defaultResource: (ctx: KoaContextWithOIDC, _client, oneOf) => {
      if (oneOf) return oneOf;
      const params = ctx.oidc.params as { grant_type?: unknown; scope?: unknown } | undefined;
      return params?.grant_type === 'client_credentials' && adminScopesIn(params.scope).length ? resource : undefined;
    },
    getResourceServerInfo: (_ctx, indicator, client) => {
      if (indicator !== resource) throw new errors.InvalidTarget();
      // only the admin scopes this client is registered with; none, and the resource is not for it
      const registered = adminScopesIn(client.scope).filter((s) => ADMIN_SCOPES.includes(s));
      if (!registered.length) throw new errors.InvalidTarget('the client is not registered for the admin API');
      return { scope: registered.join(' '), audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: ADMIN_TOKEN_TTL };
    },
  };
}
