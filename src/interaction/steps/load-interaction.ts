/** Finds the interaction of the browser's cookie and its client, and what level it needs. */
import { StoreUnavailable } from '../../errors.ts';
import { clientRuleOf, requiredLevelFor } from '../../policy/index.ts';
import { prefetchProgress, readProgress } from '../progress.ts';
import { requestLang } from '../../web/lang.ts';
import { elderOf } from '../../web/elder.ts';
import { fail, langOf } from '../respond.ts';
import type { Details, Step } from '../exchange.ts';

/**
 * What a signed-in session verified counts towards a step up only: a fresh sign-in asked for
 * (prompt=login, max_age) starts from nothing.
 */
function sessionCounts(details: Details): boolean {
  const reasons = details.prompt.reasons;
  return reasons.includes('acr_step_up') && !reasons.includes('login_prompt') && !reasons.includes('max_age');
}

export const loadInteraction: Step = async (x) => {
  const { req, res, deps } = x;
  // read beside the interaction (one round trip for both); used only once the uid is confirmed
  const stored = prefetchProgress(deps.store, String(req.params.uid));
  let details: Details;
  try {
    details = await deps.provider.interactionDetails(req, res);
  } catch (err) {
    // a store that does not answer is an outage (503), not an expired page
    if (err instanceof StoreUnavailable) throw err;
    return fail(x, { code: 'interaction_expired' });
  }
  if (details.uid !== req.params.uid) return fail(x, { code: 'interaction_expired' });
  // the department may ask for a language (ui_locales); the person's own choice still comes first
  res.locals.lang = requestLang(req, details.params.ui_locales);
  const client = await deps.provider.Client.find(String(details.params.client_id));
  if (!client) return fail(x, { code: 'client_unknown' });
  const rule = clientRuleOf(deps.complete.policy.data(), client);
  x.loaded = {
    details,
    client,
    rule,
    required: requiredLevelFor(rule, details.params),
    prior: await readProgress(deps.store, details.uid, sessionCounts(details) ? (details.session as never) : undefined, stored),
    page: {
      lang: langOf(res),
      path: req.originalUrl,
      uid: details.uid,
      clientName: client.clientName ?? client.clientId,
      csrf: deps.csrf.token(details.uid),
      kiosk: rule.kiosk || details.params.display === 'touch',
      elder: elderOf(res),
    },
  };
  return 'next';
};
