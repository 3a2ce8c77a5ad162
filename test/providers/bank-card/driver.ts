import type { MethodDriver } from '../contract/driver.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { fourElements } from './steps.ts';
import { latestCode } from '../sms-otp/steps.ts';

const WHO = 'ma-jun';

export const driver: MethodDriver = {
  method: 'bank-card',
  authority: 'bank',
  citizen: WHO,
  // nothing to prepare: a verified bank card enrols the person
  prepare: async () => {},
  async signIn({ stack, browser }, first) {
    const sent = await browser.submit(first.text, /method\/bank-card/, fourElements(WHO));
    if (sent.status !== 200) return sent;
    return browser.submit(sent.text, /method\/bank-card/, { code: await latestCode(stack, citizen(WHO).phone!) });
  },
};
