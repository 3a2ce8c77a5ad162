import assert from 'node:assert/strict';
import type { MethodDriver } from '../contract/driver.ts';
import { alipayUserId } from '../../../providers/alipay/sandbox.ts';
import { approveAtAlipay } from './authority.ts';

export const driver: MethodDriver = {
  method: 'alipay',
  authority: 'alipay',
  citizen: 'ouyang-xue',
  // a certified Alipay user is enrolled on first sight: nothing to prepare
  async prepare() {},
  async signIn({ browser }, first) {
    assert.ok(first.location, 'alipay sends the browser to its authorize page');
    return browser.open(await approveAtAlipay(first.location, alipayUserId('ouyang-xue')));
  },
};
