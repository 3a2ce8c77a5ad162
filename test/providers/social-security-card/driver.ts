import type { MethodDriver } from '../contract/driver.ts';
import { socialSecurityCardOf } from '../../../providers/social-security-card/sandbox.ts';

const card = socialSecurityCardOf('ouyang-xue');

export const driver: MethodDriver = {
  method: 'social-security-card',
  authority: 'social-security',
  citizen: 'ouyang-xue',
  // the authority vouches for the holder: the first sign-in enrols her
  async prepare() {},
  signIn: ({ browser }, first) => browser.submit(first.text, /method\/social-security-card/, { card_no: card.cardNo, pin: card.pin }),
};
