/** The person's answer on the consent page: the consent (with its audit event), then the grant that acts on it. */
import { openGrant } from '../../oidc/grants.ts';
import { fail } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

export const recordConsent: Step = async (x) => {
  const { req, res, deps } = x;
  const l = need(x.loaded, 'the interaction');
  const { details } = l;
  const accountId = details.session?.accountId;
  if (details.prompt.name !== 'consent' || !accountId) return fail(x, { code: 'interaction_expired' });
  if (req.body?.decision !== 'allow') {
    await deps.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person declined' }, { mergeWithLastSubmission: false });
    return 'done';
  }
  const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const grant = await openGrant(deps.provider, { accountId, clientId: l.client.clientId, grantId: details.grantId });
  if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
  const scopes = (grant.getOIDCScope() || '').split(' ').filter(Boolean);
  const claims = grant.getOIDCClaims();
  // only the blind index is needed, which never changes: the copy the sign-in read a moment ago
  const person = await deps.identity.recentPerson(accountId);
  // the consent and its audit event commit together, before the grant that acts on it exists
  await deps.audit.transaction(async (tx) => {
    await deps.identity.saveConsent(accountId, l.client.clientId, scopes, claims, tx);
    if (person) await tx.audit({ type: 'consent.granted', clientId: l.client.clientId, subjectIndex: person.idNumberIndex, scopes, claims, source: req.ip });
  });
  const grantId = await grant.save();
  await deps.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  return 'done';
};
