import type { MethodDriver } from '../contract/driver.ts';
import { housingFundAccountOf } from '../../../providers/housing-fund/sandbox.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';

const who = citizen('ma-jun');
const account = housingFundAccountOf('ma-jun');

export const driver: MethodDriver = {
  method: 'housing-fund',
  authority: 'housing-fund',
  citizen: 'ma-jun',
  // a level-1 method signs in people who already exist: make him one, with no other credential
  async prepare({ stack }) {
    if (!(await stack.ctx.identity.personExists(who.idNumber))) {
      await stack.ctx.identity.enrol(who.idNumber, { name: who.name, proofing: 'remote', credentials: [] });
    }
  },
  signIn: ({ browser }, first) => browser.submit(first.text, /method\/housing-fund/, { account: account.account, password: account.password }),
};
