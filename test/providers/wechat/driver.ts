import assert from 'node:assert/strict';
import type { MethodDriver } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import { follow, forged, replayCallback } from '../contract/callbacks.ts';
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

const connect = (first: { location?: string }) => {
  assert.ok(first.location, 'wechat sends the browser to its QR-connect page');
  return first.location;
};

export const driver: MethodDriver = {
  method: 'wechat',
  authority: 'wechat',
  citizen: 'xu-li',
  async prepare({ stack }) {
    await bindWechat(stack, 'xu-li');
  },
  // the last step is WeChat sending the browser back: the first page is the redirect to it
  begin: async (_t, first) => first,
  finish: async ({ browser }, at) => follow(browser, await scanWithWechat(connect(at), 'xu-li')),
  wrong: {
    what: 'a callback with a code WeChat never issued',
    answer: async ({ browser }, at) => browser.open(forged(await scanWithWechat(connect(at), 'xu-li'), 'code')),
    refused: { status: 401, code: /wechat_code_invalid/ },
  },
  garbage: {
    what: 'a callback with a state and code of nobody\'s',
    send: ({ browser, uid }) => browser.open(`/interaction/${uid}/callback/wechat?code=%00%3Cscript%3E&state=${'x'.repeat(300)}`),
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  exhaust: { skip: 'nothing is typed or guessed here: the person scans in WeChat, and a forged callback is refused (see "wrong")' },
  replay: { again: ({ browser }) => replayCallback(browser), refused: { status: 400, code: /interaction_expired/ } },
};
