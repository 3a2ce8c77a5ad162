import assert from 'node:assert/strict';
import type { MethodDriver } from '../contract/driver.ts';
import { follow, forged, replayCallback } from '../contract/callbacks.ts';
import { alipayUserId } from '../../../providers/alipay/sandbox.ts';
import { approveAtAlipay } from './authority.ts';

const authorize = (first: { location?: string }) => {
  assert.ok(first.location, 'alipay sends the browser to its authorize page');
  return first.location;
};

export const driver: MethodDriver = {
  method: 'alipay',
  authority: 'alipay',
  citizen: 'ouyang-xue',
  // a certified Alipay user is enrolled on first sight: nothing to prepare
  async prepare() {},
  // the last step is Alipay sending the browser back: the first page is the redirect to it
  begin: async (_t, first) => first,
  finish: async ({ browser }, at) => follow(browser, await approveAtAlipay(authorize(at), alipayUserId('ouyang-xue'))),
  wrong: {
    what: 'a callback with an auth_code Alipay never issued',
    answer: async ({ browser }, at) => browser.open(forged(await approveAtAlipay(authorize(at), alipayUserId('ouyang-xue')), 'auth_code')),
    refused: { status: 401, code: /alipay_code_invalid/ },
  },
  garbage: {
    what: 'a callback with a state and code of nobody\'s',
    send: ({ browser, uid }) => browser.open(`/interaction/${uid}/callback/alipay?auth_code=%00%3Cscript%3E&state=${'x'.repeat(300)}`),
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  exhaust: { skip: 'nothing is typed or guessed here: the person approves at Alipay, and a forged callback is refused (see "wrong")' },
  replay: { again: ({ browser }) => replayCallback(browser), refused: { status: 400, code: /interaction_expired/ } },
};
