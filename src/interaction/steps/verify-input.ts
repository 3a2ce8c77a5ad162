/** Runs the method's verify() with the input. */
import { contextOf } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

export const verifyInput: Step = async (x) => {
  const m = need(x.method, 'the method');
  x.context = contextOf(x, m);
  x.result = await m.flows[x.flow]!.verify(x.context, need(x.input, 'the input'));
  return 'next';
};
