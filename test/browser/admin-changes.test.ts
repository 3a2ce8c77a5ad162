/**
 * The policy, approvals and admins pages in a real browser: no WCAG 2.1 AA violation in either
 * language on every state (the home panel, the policy, an edit form, the confirm step with its
 * diff, an unsafe edit refused, versions, approvals, admins), and a policy edit by keyboard alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { createAdmin } from '../support/admin.ts';
import { launchChromium, type Chromium } from './support/chromium.ts';
import { assertAccessible, itHasNoAxeViolations } from './support/suite.ts';
import { consoleAdmin } from '../admin/changes-support.ts';
import { signInByCertificate } from './support/certificate-sign-in.ts';

describe('admin change pages in a browser', { timeout: 300_000 }, () => {
  let stack: Stack;
  let chromium: Chromium;
  let page: Page;

  before(async () => {
    stack = await startStack();
    chromium = await launchChromium();
    await createAdmin(stack, 'zhang-wei', ['policy_admin', 'admin_admin']);
    await createAdmin(stack, 'yang-lei', ['admin_admin']);
    // another policy admin's request waits for this one's approval
    const bob = await consoleAdmin(stack, 'wang-fang', ['policy_admin']);
    const r = await bob.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { otp: { maxAttempts: 7 } } } }, reason: '放宽验证码尝试次数' });
    assert.equal(r.status, 202, r.text);
    page = await (await chromium.context()).newPage();
    await signInByCertificate(page, stack.issuer, '/admin', 'zhang-wei');
  });
  after(async () => {
    await chromium?.close();
    await stack?.close();
  });

  const states: ReadonlyArray<readonly [string, string]> = [
    ['home with pending approvals', '/admin'],
    ['policy', '/admin/policy'],
    ['method edit', '/admin/policy/methods/sms-otp'],
    ['department edit', '/admin/policy/clients?id=tax-office'],
    ['global edit', '/admin/policy/global'],
    ['versions', '/admin/policy/versions'],
    ['approvals', '/admin/approvals'],
    ['admins', '/admin/admins'],
  ];
  itHasNoAxeViolations(states, () => ({ page, issuer: stack.issuer }));

  it('shows the pending request on the home page', async () => {
    await page.goto(`${stack.issuer}/admin?lang=zh-CN`);
    assert.match(await page.locator('#pending-changes').innerText(), /有 1 项变更等待批准/);
  });

  it('edits a method by keyboard alone: the confirm step shows the diff, then it is in force', async () => {
    await page.goto(`${stack.issuer}/admin/policy/methods/housing-fund?lang=en`);
    await page.locator('#f-level').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    // Enter in a field submits its form
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack.issuer}/admin/policy/preview`);
    assert.match(await page.locator('main').innerText(), /methods\.housing-fund\.level: 1 → 2 — tightens/);
    await assertAccessible(page, 'confirm step');
    await page.locator('#reason').focus();
    await page.keyboard.type('Raise the housing fund to level 2');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/policy\?notice=applied/);
    assert.match(await page.locator('[role=status]').innerText(), /The change is in force/);
    assert.equal(stack.ctx.policy.current().document.methods['housing-fund']!.level, 2);
    await assertAccessible(page, 'notice after a change');
  });

  it('explains an unsafe edit accessibly', async () => {
    await page.goto(`${stack.issuer}/admin/policy/clients/tongban-admin?lang=en`);
    await page.check('input[name="allowedMethods"][value="sms-otp"]');
    await page.locator('form[action="/admin/policy/preview"] button[type="submit"]').click();
    assert.match(await page.locator('[role=alert]').innerText(), /no enabled method that reaches level 3/);
    await assertAccessible(page, 'unsafe edit refused');
  });
});
