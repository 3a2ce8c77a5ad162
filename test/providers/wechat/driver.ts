import assert from 'node:assert/strict';
import type { MethodDriver } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { wechatUnionId } from '../../../providers/wechat/sandbox.ts';
import { scanWithWechat } from './authority.ts';

/** Binds a citizen's sandbox WeChat account to their person (created if new), as the account page will. */
export async function bindWechat(stack: Stack, key: string): Promise<string> {
  const c = citizen(key);
  const personId =
    (await stack.ctx.identity.findPersonIdByIdNumber(c.idNumber)) ??
    (await stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'remote', credentials: [] })).personId;
  await stack.ctx.identity.bind(personId, { method: 'wechat', identifier: wechatUnionId(key) });
  return personId;
}

export const driver: MethodDriver = {
  method: 'wechat',
  authority: 'wechat',
  citizen: 'xu-li',
  async prepare({ stack }) {
    await bindWechat(stack, 'xu-li');
  },
  async signIn({ browser }, first) {
    assert.ok(first.location, 'wechat sends the browser to its QR-connect page');
    return browser.open(await scanWithWechat(first.location, 'xu-li'));
  },
};
