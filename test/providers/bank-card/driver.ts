import type { MethodDriver } from '../contract/driver.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { fourElements } from './steps.ts';
import { latestCode, wrongCode } from '../sms-otp/steps.ts';

const WHO = 'ma-jun';
const phone = citizen(WHO).phone!;
const BANK = /method\/bank-card/;

export const driver: MethodDriver = {
  method: 'bank-card',
  authority: 'bank',
  citizen: WHO,
  // nothing to prepare: a verified bank card enrols the person
  prepare: async () => {},
  begin: ({ browser }, first) => browser.submit(first.text, BANK, fourElements(WHO)),
  finish: async ({ stack, browser }, at) => browser.submit(at.text, BANK, { code: await latestCode(stack, phone) }),
  wrong: {
    what: 'a wrong code texted to the card\'s phone',
    answer: async ({ stack, browser }, at) => browser.submit(at.text, BANK, { code: wrongCode(await latestCode(stack, phone)) }),
    refused: { status: 401, code: /otp_invalid/ },
  },
  expiry: { refused: { status: 400, code: /otp_expired/ } },
  // five tries per code (otp.maxAttempts); the pair scope (five per number and address) answers the sixth
  exhaust: { tries: 5, refused: { status: 429, code: /rate_limited/ } },
  replay: { refused: { status: 400, code: /interaction_expired/ } },
};
