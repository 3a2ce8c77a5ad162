/**
 * The account page's own controls in a real browser: no WCAG 2.1 AA violation in either
 * language, and by keyboard alone the citizen downloads their data and withdraws a consent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, startBrowserSuite, startSignIn, type BrowserSuite } from './support/suite.ts';
import { enrolCitizen } from '../support/login.ts';

const password = 'Keyboard2026account';
let suite: BrowserSuite;
let page: Page;

before(async () => {
  suite = await startBrowserSuite({ clientId: 'browser-account-dept' });
  const me = await enrolCitizen(suite.stack, 'yang-lei', password);
  page = await (await suite.context({ acceptDownloads: true })).newPage();
  // signed in to the department app, consent given
  await startSignIn(page, suite);
  await page.click('a[href$="/method/id-card-password"]');
  await page.fill('input[name="id_number"]', me.idNumber);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.click('button[name="decision"][value="allow"]');
  await page.waitForURL((u) => u.href.startsWith(suite.client.url));
  await page.goto(`${suite.stack.issuer}/account`);
  assert.equal(new URL(page.url()).pathname, '/account');
});
after(async () => {
  await suite?.close();
});

/** Tabs forward until `selector` has the focus; fails if it is never reached. */
async function tabTo(selector: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`${selector} is not reachable by Tab`);
}

test('the account controls have no WCAG 2.1 AA violation in either language', { timeout: 120_000 }, async () => {
  await page.goto(`${suite.stack.issuer}/account?lang=zh-CN`);
  assert.ok(await page.isVisible('#consents'));
  await assertAccessible(page, 'account zh-CN');
  await page.goto(`${suite.stack.issuer}/account?lang=en`);
  await assertAccessible(page, 'account en');
  await page.goto(`${suite.stack.issuer}/account?lang=zh-CN`);
});

test('by keyboard alone: download my data, then withdraw the consent', { timeout: 120_000 }, async () => {
  await page.goto(`${suite.stack.issuer}/account`);
  await tabTo('form[action="/account/my-data"] button');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(download.suggestedFilename(), /^tongban-my-data-\d{4}-\d{2}-\d{2}\.json$/);

  await page.goto(`${suite.stack.issuer}/account`);
  await tabTo('form[action="/account/consents/withdraw"] button');
  await Promise.all([page.waitForURL(/notice=withdrawn/), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('[role="status"]') ?? '', /已撤回授权/);
  assert.equal(await page.locator('form[action="/account/consents/withdraw"]').count(), 0);
  await assertAccessible(page, 'account after withdrawal');
});
