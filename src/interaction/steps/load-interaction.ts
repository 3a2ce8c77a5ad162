/** Finds the interaction of the browser's cookie and its client, and what level it needs. */
import { StoreUnavailable } from '../../errors.ts';
import { clientRuleOf, requiredLevelFor } from '../../policy/index.ts';
import { readProgress } from '../progress.ts';
import { fail, langOf } from '../respond.ts';
import type { Details, Step } from '../exchange.ts';

export const loadInteraction: Step = async (x) => {
  const { req, res, deps } = x;
  let details: Details;
  try {
    details = await deps.provider.interactionDetails(req, res);
  } catch (err) {
    // a store that does not answer is an outage (503), not an expired page
    if (err instanceof StoreUnavailable) throw err;
    return fail(res, { code: 'interaction_expired' });
  }
  if (details.uid !== req.params.uid) return fail(res, { code: 'interaction_expired' });
  const client = await deps.provider.Client.find(String(details.params.client_id));
  if (!client) return fail(res, { code: 'client_unknown' });
  const rule = clientRuleOf(deps.complete.policy.data(), client);
  x.loaded = {
    details,
    client,
    rule,
    required: requiredLevelFor(rule, details.params),
    prior: await readProgress(deps.store, details.uid, details.session as never),
    page: {
      lang: langOf(res),
      path: req.originalUrl,
      uid: details.uid,
      clientName: client.clientName ?? client.clientId,
      csrf: deps.csrf.token(details.uid),
      kiosk: rule.kiosk || details.params.display === 'touch',
    },
  };
  return 'next';
};
