/** What family proxy's pages and its sign-in step need from the rest of the service. */
import type Provider from 'oidc-provider';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Csrf } from '../interaction/csrf.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { ClientRegistry } from '../oidc/client-registry.ts';
import { ACCOUNT_CLIENT_ID, COUNTER_CLIENT_ID } from '../oidc/internal-clients.ts';
import { clientRuleOf, decide, type PolicySource } from '../policy/index.ts';
import type { MandateStore } from './mandates.ts';

export interface ProxyDeps {
  provider: Provider;
  issuer: string;
  identity: IdentityService;
  audit: AuditLog;
  csrf: Csrf;
  store: EphemeralStore;
  clients: ClientRegistry;
  policy: PolicySource;
  mandates: MandateStore;
  /** the salt of pairwise subjects: the helper is named to a department by their sub there */
  pairwiseSalt: Buffer;
  secureCookies: boolean;
  interactionTtl: number;
  clock?: () => number;
}

/** Departments a citizen may name for a helper: sign-in pages of department apps that take proxied sign-ins. */
export function departmentsFor(deps: Pick<ProxyDeps, 'clients' | 'policy'>): Array<{ clientId: string; name: string }> {
  const data = deps.policy.data();
  return deps.clients
    .list()
    .filter((c) => {
      const id = String(c.client_id);
      if (id === ACCOUNT_CLIENT_ID || id === COUNTER_CLIENT_ID) return false;
      const rule = clientRuleOf(data, c);
      const grants = Array.isArray(c.grant_types) ? (c.grant_types as string[]) : ['authorization_code'];
      return !rule.kiosk && grants.includes('authorization_code') && decide('proxy-allowed-for-client', data, { client: rule }).ok;
    })
    .map((c) => ({ clientId: String(c.client_id), name: String(c.client_name ?? c.client_id) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
