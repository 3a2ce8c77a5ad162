import type { MethodDriver } from '../contract/driver.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { bindPhone, latestCode } from './steps.ts';

const WHO = 'ouyang-xue';

export const driver: MethodDriver = {
  method: 'sms-otp',
  authority: 'sms',
  citizen: WHO,
  prepare: ({ stack }) => bindPhone(stack, WHO),
  async signIn({ stack, browser }, first) {
    const phone = citizen(WHO).phone!;
    const sent = await browser.submit(first.text, /method\/sms-otp/, { phone });
    if (sent.status !== 200) return sent;
    return browser.submit(sent.text, /method\/sms-otp/, { code: await latestCode(stack, phone) });
  },
};
