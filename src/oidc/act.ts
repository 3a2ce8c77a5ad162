/**
 * The `act` claim of a grant made for a citizen by someone else: counter staff approving a kiosk
 * sign-in (an assisted sign-in), or a helper the citizen named signing in on their behalf
 * (family proxy). A helper's act is valid only while the citizen's mandate is in force.
 */
import type { EphemeralStore } from '../store/ephemeral.ts';

/** `act` claims of assisted and proxied grants, looked up when tokens of the grant are issued. */
export const actKey = (grantId: string) => `act:${grantId}`;

/** A proxied sign-in's session: which department it was made for (see proxyLoginCheck in provider.ts). */
export const proxyLoginKey = (accountId: string, authTime: number) => `proxy-login:${accountId}:${authTime}`;

export type ActClaim = { sub: string; centre: string; name: string } | { sub: string };

/** As stored: a proxied act names its mandate, which must still be in force when tokens are issued. */
export type StoredAct = ActClaim & { mandate?: string };

/** Is the mandate (by id) in force now? */
export type MandateInForce = (mandateId: string) => Promise<boolean>;

/** The act of a grant; `revoked` when it was made under a mandate that is no longer in force. */
export async function actFor(store: EphemeralStore, grantId: string | undefined, inForce?: MandateInForce): Promise<ActClaim | 'revoked' | undefined> {
  if (!grantId) return undefined;
  const raw = await store.get(actKey(grantId));
  if (!raw) return undefined;
  const { mandate, ...act } = JSON.parse(raw) as StoredAct;
  if (mandate !== undefined && !(inForce && (await inForce(mandate)))) return 'revoked';
  return act;
}
