import type { MethodDriver } from '../contract/driver.ts';
import { socialSecurityCardOf } from '../../../providers/social-security-card/sandbox.ts';

const card = socialSecurityCardOf('ouyang-xue');
const FORM = /method\/social-security-card/;

export const driver: MethodDriver = {
  method: 'social-security-card',
  authority: 'social-security',
  citizen: 'ouyang-xue',
  // the authority vouches for the holder: the first sign-in enrols her
  async prepare() {},
  // one step: the first page is the form the last step is taken on
  begin: async (_t, first) => first,
  finish: ({ browser }, at) => browser.submit(at.text, FORM, { card_no: card.cardNo, pin: card.pin }),
  wrong: {
    what: 'a wrong PIN',
    answer: ({ browser }, at) => browser.submit(at.text, FORM, { card_no: card.cardNo, pin: card.pin === '123456' ? '654321' : '123456' }),
    refused: { status: 401, code: /ss_card_failed/ },
  },
  expiry: { skip: 'one step: nothing is held between two requests that could expire' },
  // the card scope's threshold: five wrong PINs per card, then a back-off
  exhaust: { tries: 5, refused: { status: 429, code: /rate_limited/ } },
  replay: { refused: { status: 400, code: /interaction_expired/ } },
};
