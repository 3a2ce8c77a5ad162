/** The method named in the path, when it is one the policy offers this interaction. */
import { fail, offered, renderChooser } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

export const pickMethod: Step = async (x) => {
  const m = x.deps.methods.get(x.req.params.id as string);
  if (!m) return fail(x, { code: 'method_unknown' });
  const l = need(x.loaded, 'the interaction');
  if (!offered(x, l).includes(m)) return renderChooser(x, l, { code: 'method_not_allowed' });
  x.method = m;
  return 'next';
};

/** The method has the flow the route serves (enrolment is offered by some methods only). */
export const checkFlow: Step = async (x) => (need(x.method, 'the method').flows[x.flow] ? 'next' : fail(x, { code: 'method_unknown' }));
