/** A first visit to a method's page: its first challenge, or why it declined to start. */
import type { StartRefused } from '../../../providers/kit/index.ts';
import { challengePage } from '../views.ts';
import { auditRefusal, contextOf, renderChooser } from '../respond.ts';
import { need, type Exchange, type Step } from '../exchange.ts';
import { isLang } from '../../i18n/text.ts';
import { lastPage, rememberPage } from '../last-page.ts';

export const startMethod: Step = async (x) => {
  if (x.input) return 'next';
  const l = need(x.loaded, 'the interaction');
  const m = need(x.method, 'the method');
  const at = { uid: l.details.uid, method: m.id, flow: x.flow };
  // a language switch shows the step the person was on again, not the method's first step
  const shown = isLang(x.req.query.lang) ? await lastPage(x.deps.store, x.deps.services.sealer, at) : undefined;
  if (shown) {
    x.res.type('html').send(challengePage(l.page, { method: m, flow: x.flow, ...shown }));
    return 'done';
  }
  const challenge = await m.flows[x.flow]!.start(contextOf(x, m));
  if (challenge.kind === 'redirect') {
    x.res.redirect(303, challenge.url);
    return 'done';
  }
  if (challenge.kind === 'refused') return refusedStart(x, challenge);
  // a first form holds nothing typed yet and is what start() gives again: a language switch
  // starts the method again instead of reading it back (one store write less per page)
  if (challenge.kind !== 'form') await rememberPage(x.deps.store, x.deps.services.sealer, at, { challenge });
  x.res.type('html').send(challengePage(l.page, { method: m, flow: x.flow, challenge }));
  return 'done';
};

/** A method that declined to start: audited, and the chooser says why, so another method can be picked. */
async function refusedStart(x: Exchange, r: StartRefused): Promise<'done'> {
  await auditRefusal(x, r.reason, 'start');
  if (r.retryAfter) x.res.setHeader('Retry-After', String(r.retryAfter));
  return renderChooser(x, undefined, { code: r.reason, params: r.retryAfter ? { seconds: r.retryAfter } : {} });
}
