/** A method's outcome that is not a verification yet: the next challenge, or the error with the challenge again. */
import { challengePage } from '../views.ts';
import { statusOf } from '../../i18n/messages.ts';
import { auditRefusal, renderChooser } from '../respond.ts';
import { need, type Step } from '../exchange.ts';
import { rememberPage } from '../last-page.ts';

export const showOutcome: Step = async (x) => {
  const l = need(x.loaded, 'the interaction');
  const m = need(x.method, 'the method');
  const result = need(x.result, 'the outcome');
  const { res, flow } = x;
  if (result.status === 'verified') return 'next';
  const at = { uid: l.details.uid, method: m.id, flow };
  if (result.status === 'pending') {
    if (result.challenge.kind === 'redirect') res.redirect(303, result.challenge.url);
    else {
      await rememberPage(x.deps.store, x.deps.services.sealer, at, { challenge: result.challenge });
      res.type('html').send(challengePage(l.page, { method: m, flow, challenge: result.challenge }));
    }
    return 'done';
  }
  const account = need(x.context, 'the method context').refusedAccount();
  await auditRefusal(x, result.reason, flow, account ? x.deps.identifierIndexOf(account.method, account.identifier) : undefined);
  const challenge = result.challenge ?? (await m.flows[flow]!.start(need(x.context, 'the method context')));
  const params = { ...(result.params ?? {}), ...(result.retryAfter ? { seconds: result.retryAfter } : {}) };
  if (result.retryAfter) res.setHeader('Retry-After', String(result.retryAfter));
  // a redirect challenge cannot carry an error (and a refused start has none to show): the chooser shows it instead
  if (challenge.kind === 'redirect' || challenge.kind === 'refused') return renderChooser(x, l, { code: result.reason, params });
  // what was typed comes back into the fields that keep it (never a secret)
  const shown = { challenge, problem: { code: result.reason, params }, typed: x.input };
  await rememberPage(x.deps.store, x.deps.services.sealer, at, shown);
  res.status(statusOf(result.reason)).type('html').send(challengePage(l.page, { method: m, flow, ...shown }));
  return 'done';
};
