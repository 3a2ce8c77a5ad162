/**
 * The status route a waiting page's script asks (JSON): still waiting, failed (with the words
 * to say), or verified, which the complete step turns into where to go next. The script never
 * sees a page; a person without it uses the page's "check now" button instead.
 */
import { t } from '../../i18n/ui.ts';
import { auditRefusal, fail, langOf } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

export const requireWaitingStep: Step = async (x) => {
  if (x.input?.step) return 'next';
  return fail(x, { code: 'invalid_input', params: { field: 'step' } });
};

export const answerPoll: Step = async (x) => {
  const result = need(x.result, 'the outcome');
  const { res } = x;
  x.poll = true;
  res.setHeader('Cache-Control', 'no-store');
  if (result.status === 'verified') return 'next';
  if (result.status === 'pending') {
    res.json({ state: 'waiting' });
    return 'done';
  }
  const account = need(x.context, 'the method context').refusedAccount();
  await auditRefusal(x, result.reason, x.flow, account ? x.deps.identifierIndexOf(account.method, account.identifier) : undefined);
  res.json({ state: 'failed', code: result.reason, message: t(langOf(res), result.reason, result.params ?? {}) });
  return 'done';
};
