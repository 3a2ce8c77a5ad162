/**
 * A client's part of the policy: what its registration says (tongban_* metadata, with safe
 * defaults), overridden field by field by the policy data.
 */
import type { Level } from '../../providers/kit/index.ts';
import type { PolicyData } from './policy-data.ts';

type ClientLike = { readonly [key: string]: unknown } | object;

export interface ClientRule {
  readonly clientId: string;
  readonly minLevel: Level;
  /** undefined: every enabled method */
  readonly allowedMethods?: readonly string[];
  /** a hall kiosk: device flow, typed-in methods only, never a lasting session */
  readonly kiosk: boolean;
  readonly maxAuthAge?: number;
  /** the city's own apps: everything they may ask for, without a consent page */
  readonly firstParty: boolean;
  /** a helper may sign in here on a citizen's behalf (family proxy); departments may refuse it */
  readonly proxyAllowed: boolean;
  /** proxied sign-ins also for level-3 requests: only when the policy says so */
  readonly proxyLevel3: boolean;
}

function prop(client: ClientLike, snake: string, camel: string): unknown {
  const c = client as Record<string, unknown>;
  return c[snake] ?? c[camel];
}

export function clientRuleOf(data: PolicyData, client: ClientLike): ClientRule {
  const c = client as Record<string, unknown>;
  const clientId = String(c.clientId ?? c.client_id ?? '');
  const min = prop(client, 'tongban_min_level', 'tongbanMinLevel');
  const allowed = prop(client, 'tongban_allowed_methods', 'tongbanAllowedMethods');
  const o = Object.hasOwn(data.clients, clientId) ? data.clients[clientId]! : {};
  const allowedMethods = o.allowedMethods !== undefined ? (o.allowedMethods ?? undefined) : Array.isArray(allowed) ? (allowed as string[]) : undefined;
  return {
    clientId,
    minLevel: o.minLevel ?? (min === 2 || min === 3 ? min : 1),
    ...(allowedMethods ? { allowedMethods } : {}),
    kiosk: o.kiosk ?? prop(client, 'tongban_kiosk', 'tongbanKiosk') === true,
    ...(o.maxAuthAge ? { maxAuthAge: o.maxAuthAge } : {}),
    firstParty: prop(client, 'tongban_first_party', 'tongbanFirstParty') === true,
    proxyAllowed: o.proxyAllowed ?? prop(client, 'tongban_proxy_allowed', 'tongbanProxyAllowed') !== false,
    proxyLevel3: o.proxyLevel3 ?? false,
  };
}
