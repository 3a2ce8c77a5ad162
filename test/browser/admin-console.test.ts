/**
 * The admin console's own pages in Chromium: a level-3 sign-in with a certificate ends on the
 * home page (the same-site forwarding step carries the Strict session cookie), the home page and
 * the refusal page have no WCAG 2.1 AA violation in either language, and signing out works by
 * keyboard alone and ends the session.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { createAdmin } from '../support/admin.ts';
import { launchChromium, type Chromium } from './support/chromium.ts';
import { assertAccessible } from './support/suite.ts';
import { activate, tabTo } from './support/keyboard.ts';
import { signInByCertificate } from './support/certificate-sign-in.ts';

describe('the admin console in a browser', { timeout: 300_000 }, () => {
  let stack: Stack;
  let chromium: Chromium;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    stack = await startStack();
    chromium = await launchChromium();
    await createAdmin(stack, 'zhang-wei', ['policy_admin', 'auditor']);
    context = await chromium.context();
    page = await context.newPage();
  });
  after(async () => {
    await chromium?.close();
    await stack?.close();
  });

  it('signs in at level 3 and lands on the home page, with a Strict session cookie', async () => {
    await signInByCertificate(page, stack.issuer, '/admin', 'zhang-wei');
    assert.equal(await page.locator('h1').innerText(), '安全管理控制台');
    assert.match(await page.locator('main').innerText(), /张伟/);
    const cookie = (await context.cookies(`${stack.issuer}/admin`)).find((c) => c.name === 'tongban_admin');
    assert.equal(cookie?.sameSite, 'Strict');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.path, '/admin');
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`has no axe violation on the home page (${lang})`, async () => {
      await page.goto(`${stack.issuer}/admin?lang=${lang}`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await assertAccessible(page, `admin home ${lang}`);
    });
  }

  it('signs out by keyboard alone, which ends the console session', async () => {
    await page.goto(`${stack.issuer}/admin?lang=en`);
    const signOut = page.locator('form[action="/admin/logout"] button');
    await activate(page, signOut, 'the sign-out button', (u) => u.pathname.startsWith('/session/end'));
    const api = await page.request.get(`${stack.issuer}/admin/api/me`, { headers: { accept: 'application/json' } });
    assert.equal(api.status(), 401);
    // the provider asks whether to end the single sign-on too; confirmed, the console needs a new sign-in
    await activate(page, page.locator('button', { hasText: /^(Sign out|退出登录)$/ }), 'the confirm button', (u) => u.pathname === '/session/end/success');
    await page.goto(`${stack.issuer}/admin`);
    assert.match(new URL(page.url()).pathname, /^\/interaction\//, 'the console starts a sign-in again');
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`tells an admin deactivated since why the next sign-in is refused, with no axe violation (${lang})`, async () => {
      const other = await chromium.context();
      const p = await other.newPage();
      try {
        await createAdmin(stack, 'wang-fang', ['helpdesk']);
        await signInByCertificate(p, stack.issuer, '/admin', 'wang-fang');
        await createAdmin(stack, 'wang-fang', ['helpdesk'], { active: false });
        await p.goto(`${stack.issuer}/admin/login?lang=${lang}`);
        // the single sign-on session is still there: straight back to the callback, which refuses
        await p.waitForURL((u) => u.pathname === '/admin/callback');
        assert.match(await p.locator('[role="alert"]').innerText(), lang === 'en' ? /not an active security admin/ : /不是在任的安全管理员/);
        await assertAccessible(p, `admin refused ${lang}`);
        await tabTo(p, p.locator('a[href="/admin/login"]'), 'the sign-in-again link');
      } finally {
        await other.close();
      }
    });
  }
});
