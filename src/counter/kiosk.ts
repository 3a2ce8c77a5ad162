/**
 * Approving a hall kiosk's sign-in for a citizen verified in person: the kiosk runs the device
 * authorization flow and shows a user_code; staff type it here. The kiosk is then signed in as
 * the citizen at level 3 (method `counter`), and its tokens carry an `act` claim naming the
 * staff member and the centre, so departments see the sign-in was assisted.
 */
import type { Request } from 'express';
import { t } from '../i18n/ui.ts';
import type { ActionDeps } from './actions.ts';
import type { Outcome } from './outcome.ts';
import { done, fail, reasonOf } from './outcome.ts';
import type { StaffRequest } from './routes.ts';
import type { ConsoleSession } from './console-session.ts';
import { clientRuleOf } from '../policy/index.ts';
import { completeVerified } from '../interaction/complete-login.ts';
import { openGrant } from '../oidc/grants.ts';
import { actKey, type ActClaim } from '../oidc/act.ts';

export async function approveKiosk(
  deps: ActionDeps,
  req: Request,
  sr: StaffRequest,
  visit: NonNullable<ConsoleSession['visit']>,
  body: Record<string, string>,
): Promise<Outcome> {
  const reason = reasonOf(body);
  if (typeof reason !== 'string') return reason;
  // counted before the code is looked up: with a limit of k, at most k codes are tried at once
  const gate = await deps.limits.reserve([
    { scope: 'id', id: `kiosk-code:${sr.staff.personId}` },
    { scope: 'ip', id: req.ip ?? 'unknown' },
  ]);
  if (!gate.ok) return fail('rate_limited', { seconds: gate.retryAfter });
  // the provider's user codes use upper-case consonants; people type them any way
  const userCode = (body.user_code ?? '').toUpperCase().replace(/[^A-Z]/g, '').slice(0, 16);
  const dc = userCode ? await deps.provider.DeviceCode.findByUserCode(userCode) : undefined;
  if (!dc || !dc.clientId || dc.accountId || dc.error || dc.consumed) {
    await gate.failed();
    return fail('counter_user_code_invalid');
  }
  const clientId = dc.clientId;
  const client = await deps.provider.Client.find(clientId);
  if (!client) {
    await gate.failed();
    return fail('counter_not_kiosk');
  }

  // staff verified the citizen in person (method `counter`, level 3); the policy table decides
  // whether this client may be signed in that way, and the approval is on the record before it is
  const verified = { status: 'verified', claim: { kind: 'person', personId: visit.personId }, level: 3, amr: ['user'], evidence: {} } as const;
  const rule = clientRuleOf(deps.complete.policy.data(), client);
  const signIn = await completeVerified(deps.complete, {
    intent: {
      kind: 'assisted',
      requiredLevel: rule.minLevel,
      client: rule,
      event: {
        type: 'counter.kiosk_approved',
        staffId: sr.staff.personId,
        centreId: sr.staff.centreId,
        subjectIndex: visit.subjectIndex,
        reason,
        kioskClientId: clientId,
        source: req.ip,
      },
    },
    methodId: 'counter',
    result: verified,
    source: req.ip ?? 'unknown',
  }).catch(async (err: unknown) => {
    await gate.release();
    throw err;
  });
  if (signIn.kind !== 'login') {
    await gate.failed();
    return fail(signIn.kind === 'refused' ? signIn.reason : 'counter_not_kiosk');
  }
  const grant = await openGrant(deps.provider, { accountId: visit.personId, clientId });
  // what the kiosk asked for at /device/auth (already checked against its allowed scopes)
  const params = (dc.params ?? {}) as { scope?: unknown };
  const scope = typeof params.scope === 'string' && params.scope.split(' ').includes('openid') ? params.scope : 'openid';
  grant.addOIDCScope(scope);
  grant.addOIDCClaims(['act']);
  const grantId = await grant.save();
  const act: ActClaim = { sub: `staff:${sr.staff.personId}`, centre: sr.staff.centreId, name: sr.staff.displayName };
  await deps.store.set(actKey(grantId), JSON.stringify(act), 24 * 3600);

  dc.scope = scope;
  dc.accountId = signIn.login.accountId;
  dc.acr = signIn.login.acr;
  dc.amr = signIn.login.amr;
  dc.authTime = Math.floor(Date.now() / 1000);
  dc.grantId = grantId;
  await dc.save();
  await gate.succeeded();
  return done(t(sr.lang, 'counterKioskSignedIn'));
}
