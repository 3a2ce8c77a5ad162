/** The person cancelled: the client gets access_denied. */
import type { Step } from '../exchange.ts';

export const abortInteraction: Step = async (x) => {
  await x.deps.provider.interactionFinished(x.req, x.res, { error: 'access_denied', error_description: 'the person cancelled' }, { mergeWithLastSubmission: false });
  return 'done';
};
