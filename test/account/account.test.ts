/** The citizen's account page: sign-in through our own provider, methods with last use, unbinding rules. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';

describe('account page', () => {
  let stack: Stack;
  const password = 'Bamboo2026grove';

  before(async () => {
    stack = await startStack();
    await enrolCitizen(stack, 'chen-jing', password);
  });
  after(async () => stack?.close());

  async function signedIn(): Promise<{ browser: Browser; page: string }> {
    const { citizen } = await import('../../src/sandbox/citizens.ts');
    const browser = new Browser(stack.issuer);
    const chooser = await browser.open('/account');
    assert.match(chooser.text, /选择登录方式/, 'not signed in: the account page asks to sign in first');
    const done = await passwordLogin(browser, chooser.text, citizen('chen-jing').idNumber, password);
    assert.equal(done.status, 200, done.text.slice(0, 400));
    assert.match(done.text, /我的账号/);
    return { browser, page: done.text };
  }

  it('shows the person’s methods with when they were last used, and no personal data in clear', async () => {
    const { page } = await signedIn();
    assert.match(page, /身份证号码 \+ 密码/);
    assert.doesNotMatch(page, /从未使用/, 'the password was just used');
    assert.match(page, /陈\*/, 'the name is masked');
    assert.doesNotMatch(page, /310105198802290641/);
  });

  it('refuses to unlink the only way in, and refuses a form without its CSRF token', async () => {
    const { browser, page } = await signedIn();
    const last = await browser.submit(page, /\/account\/unbind/, {});
    assert.equal(last.status, 409);
    assert.match(last.text, /account_last_credential/);
    const forged = await browser.submit(page, /\/account\/unbind/, {}, { csrf: 'x'.repeat(43) });
    assert.equal(forged.status, 403);
  });

  it('refuses to bind a method that is not bindable', async () => {
    const { browser } = await signedIn();
    const res = await browser.open('/account/bind/id-card-password');
    assert.equal(res.status, 404);
  });
});
