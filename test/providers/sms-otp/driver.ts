import type { MethodDriver } from '../contract/driver.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { bindPhone, latestCode, wrongCode } from './steps.ts';

const WHO = 'ouyang-xue';
const phone = citizen(WHO).phone!;
const SMS = /method\/sms-otp/;

export const driver: MethodDriver = {
  method: 'sms-otp',
  authority: 'sms',
  citizen: WHO,
  prepare: ({ stack }) => bindPhone(stack, WHO),
  begin: ({ browser }, first) => browser.submit(first.text, SMS, { phone }),
  finish: async ({ stack, browser }, at) => browser.submit(at.text, SMS, { code: await latestCode(stack, phone) }),
  wrong: {
    what: 'a wrong code',
    answer: async ({ stack, browser }, at) => browser.submit(at.text, SMS, { code: wrongCode(await latestCode(stack, phone)) }),
    refused: { status: 401, code: /otp_invalid/ },
  },
  expiry: { refused: { status: 400, code: /otp_expired/ } },
  // five tries per code (otp.maxAttempts); the pair scope (five per number and address) answers the sixth
  exhaust: { tries: 5, refused: { status: 429, code: /rate_limited/ } },
  replay: { refused: { status: 400, code: /interaction_expired/ } },
};
