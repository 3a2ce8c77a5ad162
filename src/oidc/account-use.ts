/**
 * What a sign-in to a department leaves for the person's own account page: when the department
 * last used its consent (to the hour, see IdentityService.touchConsent; none per token) and the
 * device the session signed in from (written once per session). The city's own apps ask for no
 * consent, so their sign-ins have none to note and cost no statement. Both are awaited before
 * the response leaves, so the account page the person opens next already shows them.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { IdentityService } from '../identity/index.ts';
import { clientRuleOf, type PolicySource } from '../policy/index.ts';
import { logBackgroundFailure } from '../log.ts';
import { sessionDeviceKey } from './account-index.ts';
import { summariseDevice } from './device-summary.ts';
import { finishBeforeResponse } from './before-response.ts';

export function recordAccountUse(provider: Provider, deps: { store: EphemeralStore; identity: IdentityService; policy: PolicySource; sessionTtl: number }): void {
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const session = ctx.oidc.session;
    const client = ctx.oidc.client;
    if (!session?.accountId || !client) return;
    const device = JSON.stringify(summariseDevice(ctx.get('user-agent')));
    finishBeforeResponse(ctx, Promise.all([
      clientRuleOf(deps.policy.data(), client).firstParty ? undefined : deps.identity.touchConsent(session.accountId, client.clientId),
      deps.store.setIfAbsent(sessionDeviceKey(session.uid), device, deps.sessionTtl),
    ]).catch((err: unknown) => logBackgroundFailure('last use of a consent or the session device not recorded', err)));
  });
}
