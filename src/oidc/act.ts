/**
 * The `act` claim of a grant made for a citizen by someone else: counter staff approving a kiosk
 * sign-in (an assisted sign-in), or a helper the citizen named signing in on their behalf
 * (family proxy). A helper's act is valid only while the citizen's mandate is in force.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { finishBeforeResponse } from './before-response.ts';

/** `act` claims of assisted and proxied grants, looked up when tokens of the grant are issued. */
export const actKey = (grantId: string) => `act:${grantId}`;

/** A proxied sign-in's session, by the session's uid: which department it was made for (see proxySessionCheck in provider.ts). */
export const proxyLoginKey = (sessionUid: string) => `proxy-login:${sessionUid}`;

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

/**
 * Marks the session a proxied sign-in lands in, by the session's own uid: the grant the helper's
 * choice resumes with carries an act naming a mandate. Keyed by the session, not by the citizen and
 * the second of sign-in, so the citizen's own sign-in in the same second is never taken for it.
 * Written before the response leaves (a failure fails the sign-in, never leaves it unmarked).
 */
export function markProxiedSessions(provider: Provider, store: EphemeralStore, sessionTtl: number): void {
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const { session, client, result } = ctx.oidc;
    const grantId = (result as { consent?: { grantId?: unknown } } | undefined)?.consent?.grantId;
    if (!session?.uid || !client || typeof grantId !== 'string') return;
    finishBeforeResponse(
      ctx,
      store.get(actKey(grantId)).then(async (raw) => {
        if (raw && (JSON.parse(raw) as StoredAct).mandate !== undefined) await store.set(proxyLoginKey(session.uid), client.clientId, sessionTtl);
      }),
    );
  });
}
