/**
 * The separated roles of security admins. A person may hold several; each area and each API
 * route names the roles that reach it (auth.ts `requireRole`). API tokens carry a role as the
 * scope `admin:<role>`: the list itself lives with the provider's resource server for the admin
 * API (src/oidc/admin-resource.ts), which must know the scopes it issues.
 */
import { ADMIN_ROLES, ADMIN_SCOPE_PREFIX } from '../oidc/admin-resource.ts';

export { ADMIN_ROLES, ADMIN_SCOPE_PREFIX, ADMIN_SCOPES, adminApiResource } from '../oidc/admin-resource.ts';
export type AdminRole = (typeof ADMIN_ROLES)[number];

export function isAdminRole(x: unknown): x is AdminRole {
  return typeof x === 'string' && (ADMIN_ROLES as readonly string[]).includes(x);
}

/** The roles a space-separated scope string grants (unknown scopes ignored), in the roles' order. */
export function rolesOfScope(scope: string | undefined): AdminRole[] {
  const roles = new Set<AdminRole>();
  for (const s of (scope ?? '').split(' ')) {
    const role = s.startsWith(ADMIN_SCOPE_PREFIX) ? s.slice(ADMIN_SCOPE_PREFIX.length) : '';
    if (isAdminRole(role)) roles.add(role);
  }
  return ADMIN_ROLES.filter((r) => roles.has(r));
}
