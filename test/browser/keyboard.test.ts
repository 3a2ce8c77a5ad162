/**
 * Sign-in by keyboard only, in a real browser: password, text message, a QR method confirmed in
 * the (simulated) eID app while the waiting page keeps focus, and a counter code, each to the
 * department app that asked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserSuite, startSignIn, type BrowserSuite } from './support/suite.ts';
import { activate, focusedIs, tabTo, typeInto } from './support/keyboard.ts';
import { PASSWORD, prepareCitizen } from './support/page-states.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { bindPhone, latestCode } from '../providers/sms-otp/steps.ts';
import { confirmInApp } from '../providers/gov-eid/driver.ts';
import { issueCode } from '../providers/counter-code/driver.ts';

let suite: BrowserSuite;

before(async () => {
  suite = await startBrowserSuite({ env: { AUTHORITY_TIMEOUT_MS: '5000' } });
  await prepareCitizen(suite.stack, 'zhang-wei');
  await bindPhone(suite.stack, 'wang-fang');
  const c = citizen('zhao-min');
  await suite.stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'in_person', credentials: [] });
});
after(async () => {
  await suite?.close();
});

async function freshPage(): Promise<Page> {
  return (await suite.context()).newPage();
}

const back = (u: URL) => u.origin === suite.client.url;
const method = (page: Page, id: string) => page.locator(`a[href$="/method/${id}"]`);
const submit = (page: Page) => page.locator('main form:has(input[name="step"]) button[type="submit"]');

/** From the consent page (when the department asks it) to the department app, by keyboard. */
async function allowAndReturn(page: Page): Promise<void> {
  if (!back(new URL(page.url()))) {
    await activate(page, page.locator('button[value="allow"]'), 'allow', back);
  }
  assert.match(await page.locator('body').innerText(), /您已登录/, 'signed in at the department app');
}

describe('keyboard only', () => {
  it('signs in with ID number and password', { timeout: 180_000 }, async () => {
    const page = await freshPage();
    await startSignIn(page, suite);
    await activate(page, method(page, 'id-card-password'), 'the password way', /\/method\/id-card-password/);
    await typeInto(page, page.locator('#id_number'), 'ID number', citizen('zhang-wei').idNumber);
    await typeInto(page, page.locator('#password'), 'password', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/method/id-card-password')), page.keyboard.press('Enter')]);
    await allowAndReturn(page);
    await page.context().close();
  });

  it('signs in with a text message code', { timeout: 180_000 }, async () => {
    const page = await freshPage();
    const who = citizen('wang-fang');
    await startSignIn(page, suite);
    await activate(page, method(page, 'sms-otp'), 'the text message way', /\/method\/sms-otp/);
    await typeInto(page, page.locator('main input[type="tel"], main input[type="text"]').first(), 'phone number', who.phone!);
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const code = await latestCode(suite.stack, who.phone!);
    await typeInto(page, page.locator('main form:has(input[name="step"]) input:not([type="hidden"])').first(), 'code', code);
    await Promise.all([page.waitForURL((u) => !u.pathname.includes('/method/')), page.keyboard.press('Enter')]);
    await allowAndReturn(page);
    await page.context().close();
  });

  it('signs in with the national eID by QR: the waiting page keeps focus, then goes on by itself', { timeout: 180_000 }, async () => {
    const page = await freshPage();
    await startSignIn(page, suite);
    await activate(page, method(page, 'gov-eid'), 'the eID way', /\/method\/gov-eid/);
    const checkNow = page.locator('a[href*="/method/gov-eid?step="]');
    await tabTo(page, checkNow, 'check now');
    const live = page.locator('#wait-status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    // two rounds of the script asking the status route: no reload, focus where the person left it
    const url = page.url();
    for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().includes('/method/gov-eid/status?step=') && r.status() === 200, { timeout: 30_000 });
    assert.equal(page.url(), url);
    assert.ok(await focusedIs(checkNow), 'focus stays on "check now" while waiting');
    await page.waitForFunction(() => /仍在等待/.test(document.getElementById('wait-status')?.textContent ?? ''));
    // the citizen confirms in the eID app on their phone
    const qr = await page.locator('a[target="_blank"]').getAttribute('href');
    assert.ok(qr, 'the QR page links to the app request');
    assert.equal((await confirmInApp(qr, 'zhao-min')).status, 200);
    await page.waitForURL((u) => !u.pathname.includes('/method/gov-eid'), { timeout: 30_000 });
    await allowAndReturn(page);
    await page.context().close();
  });

  it('signs in with a counter code, opening "more ways" by keyboard', { timeout: 180_000 }, async () => {
    const page = await freshPage();
    const code = await issueCode(suite.stack, 'zhao-min');
    await startSignIn(page, suite);
    const link = method(page, 'counter-code');
    if (!(await link.isVisible())) {
      await tabTo(page, page.locator('details.more > summary'), 'more ways');
      await page.keyboard.press('Enter');
      assert.ok(await link.isVisible(), 'Enter on "more ways" shows them');
    }
    await activate(page, link, 'the counter code way', /\/method\/counter-code/);
    await typeInto(page, page.locator('#code'), 'counter code', code);
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    // an optional new password: left empty, on by the submit button
    if (new URL(page.url()).pathname.includes('/method/counter-code')) {
      await activate(page, submit(page), 'continue without a password', (u) => !u.pathname.includes('/method/counter-code'));
    }
    await allowAndReturn(page);
    await page.context().close();
  });
});
