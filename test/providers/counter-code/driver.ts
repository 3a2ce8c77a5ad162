import type { MethodDriver, Page } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import type { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { oneTimeCodes, sharedState } from '../../../src/interaction/method-context.ts';

const WHO = 'zhao-min';
const FORM = /method\/counter-code/;

/** Issues a code the way the counter console does after an in-person check. */
export async function issueCode(stack: Stack, key = WHO): Promise<string> {
  const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen(key).idNumber))!;
  const m = stack.ctx.methods.get('counter-code')!;
  const shared = sharedState(stack.ctx.store, 'counter-code', stack.ctx.sealer);
  const { code } = await m.staffIssued!.issue({ shared, codes: oneTimeCodes(stack.ctx.keys.indexKey) }, {
    personId,
    staffId: 'test-staff',
    centreId: 'test-centre',
  });
  return code;
}

// the code each browser was handed at the counter (issued in `begin`)
const handed = new WeakMap<Browser, string>();

/** The code, then the "choose a password" page skipped. */
async function enter(browser: Browser, at: Page, code: string): Promise<Page> {
  const next = await browser.submit(at.text, FORM, { code });
  if (next.location || next.status !== 200) return next;
  return browser.submit(next.text, FORM, { password: '' });
}

export const driver: MethodDriver = {
  method: 'counter-code',
  citizen: WHO,
  async prepare({ stack }) {
    const c = citizen(WHO);
    await stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'in_person', credentials: [] });
  },
  // the counter hands the person a code; the last step is typing it
  async begin({ stack, browser }, first) {
    handed.set(browser, await issueCode(stack));
    return first;
  },
  finish: ({ browser }, at) => enter(browser, at, handed.get(browser)!),
  wrong: {
    what: 'a code no counter issued',
    answer: ({ browser }, at) => browser.submit(at.text, FORM, { code: 'ZZZZZZZZ' }),
    refused: { status: 401, code: /counter_code_invalid/ },
  },
  expiry: {
    // the issued code is what expires (ttlSeconds): it leaves the store as its TTL would
    async expire({ stack, browser }) {
      const digest = oneTimeCodes(stack.ctx.keys.indexKey).digest(handed.get(browser)!);
      await stack.ctx.store.del([`m:counter-code:code:${digest}`]);
    },
    refused: { status: 401, code: /counter_code_invalid/ },
  },
  exhaust: { skip: 'a code has no account to guess at: its tries are counted per source address and service-wide, not per interaction' },
  replay: {
    // the same code, typed again in a new interaction by someone else
    async again({ browser, fresh }) {
      const other = await fresh();
      return enter(other.t.browser, other.first, handed.get(browser)!);
    },
    refused: { status: 401, code: /counter_code_invalid/ },
  },
};
