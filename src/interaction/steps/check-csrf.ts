/** A form posted to an interaction carries the token of that interaction's pages. */
import { fail } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

export const checkCsrf: Step = async (x) => {
  const uid = need(x.loaded, 'the interaction').details.uid;
  return x.deps.csrf.valid(uid, x.req.body?.csrf) ? 'next' : fail(x, { code: 'csrf_invalid' });
};
