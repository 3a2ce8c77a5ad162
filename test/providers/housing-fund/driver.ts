import type { MethodDriver } from '../contract/driver.ts';
import { housingFundAccountOf } from '../../../providers/housing-fund/sandbox.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';

const who = citizen('ma-jun');
const account = housingFundAccountOf('ma-jun');
const FORM = /method\/housing-fund/;

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
  // one step: the first page is the form the last step is taken on
  begin: async (_t, first) => first,
  finish: ({ browser }, at) => browser.submit(at.text, FORM, { account: account.account, password: account.password }),
  wrong: {
    what: 'a wrong password',
    answer: ({ browser }, at) => browser.submit(at.text, FORM, { account: account.account, password: 'Wrong@2026' }),
    refused: { status: 401, code: /hf_login_failed/ },
  },
  expiry: { skip: 'one step: nothing is held between two requests that could expire' },
  // the pair scope's threshold: five wrong tries per account and address, then a back-off
  exhaust: { tries: 5, refused: { status: 429, code: /rate_limited/ } },
  replay: { refused: { status: 400, code: /interaction_expired/ } },
};
