import type { MethodDriver } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { oneTimeCodes, sharedState } from '../../../src/interaction/method-context.ts';
import type { CounterCodeMethod } from '../../../providers/counter-code/index.ts';

const WHO = 'zhao-min';

/** Issues a code the way the counter console does after an in-person check. */
export async function issueCode(stack: Stack, key = WHO): Promise<string> {
  const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen(key).idNumber))!;
  const m = stack.ctx.methods.get('counter-code') as unknown as CounterCodeMethod;
  const { code } = await m.issue(sharedState(stack.ctx.store, 'counter-code', stack.ctx.sealer), oneTimeCodes(stack.ctx.keys.indexKey), {
    personId,
    staffId: 'test-staff',
    centreId: 'test-centre',
  });
  return code;
}

export const driver: MethodDriver = {
  method: 'counter-code',
  citizen: WHO,
  async prepare({ stack }) {
    const c = citizen(WHO);
    await stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'in_person', credentials: [] });
  },
  async signIn({ stack, browser }, first) {
    const next = await browser.submit(first.text, /method\/counter-code/, { code: await issueCode(stack) });
    if (next.location || next.status !== 200) return next;
    return browser.submit(next.text, /method\/counter-code/, { password: '' });
  },
};
