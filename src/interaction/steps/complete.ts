/** A verified outcome: a login (the interaction finishes), one more method for the level asked, or a refusal. */
import { keepDevice } from '../device-cookie.ts';
import { completeVerified } from '../complete-login.ts';
import { langOf, renderChooser } from '../respond.ts';
import { t } from '../../i18n/ui.ts';
import { need, type Exchange, type Step } from '../exchange.ts';

function pollAnswer(x: Exchange, answer: Record<string, string>): 'done' {
  x.res.json(answer);
  return 'done';
}

type Login = { accountId: string; acr: string; amr: string[]; remember: boolean };

/**
 * Stores the login as the interaction's result and gives the address that resumes the
 * authorization: what provider.interactionResult does, on the interaction this request loaded
 * (it found it by the same cookie a moment ago) instead of reading it from the store again.
 */
async function finishWith(x: Exchange, login: Login): Promise<string> {
  const { details } = need(x.loaded, 'the interaction');
  details.result = { login };
  await details.save(details.exp - Math.floor(Date.now() / 1000));
  return details.returnTo;
}

export const complete: Step = async (x) => {
  const l = need(x.loaded, 'the interaction');
  const m = need(x.method, 'the method');
  const result = need(x.result, 'the outcome');
  if (result.status !== 'verified') throw new Error('interaction pipeline: only a verified outcome completes');
  const { req, res, deps } = x;
  // the device that just proved a secret is known from now on (see device-cookie.ts)
  keepDevice(res, deps.secureCookies ?? false);
  const done = await completeVerified(deps.complete, {
    intent: { kind: 'login', uid: l.details.uid, prior: l.prior, requiredLevel: l.required, client: l.rule },
    methodId: m.id,
    result,
    source: req.ip ?? 'unknown',
  });
  if (done.kind === 'refused') {
    await deps.audit.record({ type: 'login.failed', method: m.id, reason: done.reason, clientId: l.client.clientId, source: req.ip });
    if (x.poll) return pollAnswer(x, { state: 'failed', code: done.reason, message: t(langOf(res), done.reason) });
    return renderChooser(x, l, { code: done.reason });
  }
  // the chooser shows what is verified so far (kept with the interaction, see progress.ts)
  if (done.kind === 'more') return x.poll ? pollAnswer(x, { state: 'done', next: `/interaction/${l.details.uid}` }) : renderChooser(x, { ...l, prior: done.progress });
  if (done.kind !== 'login') throw new Error(`a login completed as ${done.kind}`);
  // a helper named by a citizen for this department chooses first whom they sign in as
  const onBehalf = await deps.offerOnBehalf?.({ uid: l.details.uid, login: done.login, rule: l.rule, required: l.required, params: l.details.params });
  if (onBehalf) {
    if (x.poll) return pollAnswer(x, { state: 'done', next: onBehalf });
    res.redirect(303, onBehalf);
    return 'done';
  }
  const next = await finishWith(x, done.login);
  if (x.poll) return pollAnswer(x, { state: 'done', next });
  // as provider.interactionFinished answers
  res.statusCode = 303;
  res.setHeader('Location', next);
  res.setHeader('Content-Length', '0');
  res.end();
  return 'done';
};
