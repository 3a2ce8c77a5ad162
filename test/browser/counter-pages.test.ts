/**
 * Every counter-console page state a staff member meets, checked in a real browser with
 * axe-core (WCAG 2.1 AA) in both languages: the console home, a visit, a refused form on it,
 * the family-proxy form and its confirmation, the printed slip, and a supervisor's pending
 * approvals. Every field has exactly one working label in each state.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { enrolCitizen } from '../support/login.ts';
import { seedCentres, verifyFields } from '../counter/support.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { launchChromium, type Chromium } from './support/chromium.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { signInByCertificate } from './support/certificate-sign-in.ts';

async function submit(page: Page, action: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.locator(`form[action="${action}"] button[type="submit"]`).click()]);
  await page.locator('h1').waitFor();
}

async function openVisit(page: Page, key: string): Promise<void> {
  const f = verifyFields(key);
  await page.fill('#id_number', f.id_number!);
  await page.fill('#name', f.name!);
  await page.fill('#card_expiry', f.card_expiry!);
  await page.check('#face_match');
  await page.fill('#reason-verify', f.reason!);
  await submit(page, '/counter/verify');
  await page.locator('#reason-code').waitFor();
}

/** Fields without exactly one label, and ids used twice. */
const labelProblems = (page: Page) =>
  page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((e) => (e as HTMLInputElement).labels?.length !== 1).map((e) => e.outerHTML);
    return [...unlabelled, ...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `id twice: ${id}`)];
  });

describe('counter console pages in a browser', { timeout: 600_000 }, () => {
  let stack: Stack;
  let chromium: Chromium;
  let dept: TestClient;

  before(async () => {
    stack = await startStack();
    await seedCentres(stack);
    dept = await addClient(stack, 'counter-pages-dept', { client_name: '民政局' });
    await enrolCitizen(stack, 'zhou-xiuying', 'Counter2026pages');
    await enrolCitizen(stack, 'wu-haoran', 'Counter2026pages');
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await dept?.rp.close();
    await stack?.close();
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`has no WCAG 2.1 AA violation and a label for every field in any state (${lang})`, async () => {
      const failures: string[] = [];
      const check = async (page: Page, state: string) => {
        assert.equal(await page.locator('html').getAttribute('lang'), lang, `${state}: the page language`);
        const v = await axeViolations(page);
        if (v.length) failures.push(describeViolations(`${state} (${page.url()})`, v));
        const labels = await labelProblems(page);
        if (labels.length) failures.push(`${state}: ${labels.join('; ')}`);
      };

      // a staff member: home, a visit, a refused form, family proxy, a request for approval, the slip
      const staff = await (await chromium.context()).newPage();
      await signInByCertificate(staff, stack.issuer, '/counter', 'yang-lei');
      await staff.goto(`${stack.issuer}/counter?lang=${lang}`);
      await check(staff, 'console home');
      await openVisit(staff, 'zhou-xiuying');
      await check(staff, 'visit');
      assert.ok(await staff.locator('form[action="/counter/proxy"]').count(), 'the family-proxy form on the visit');
      const proxyFor = async (helperKey: string) => {
        await staff.fill('#helper_id_number', citizen(helperKey).idNumber);
        await staff.check(`input[name="client:${dept.clientId}"]`);
        await staff.fill('#proxy-until', new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
        await staff.fill('#reason-proxy', 'in person');
        await submit(staff, '/counter/proxy');
      };
      await proxyFor('ma-jun');
      assert.ok(await staff.locator('.error[role="alert"]').count(), 'refused: an unknown helper');
      await check(staff, 'visit, family proxy refused');
      await proxyFor('wu-haoran');
      assert.ok(await staff.locator('.note[role="status"]').count(), `registered: ${await staff.locator('main').innerText()}`.slice(0, 300));
      await check(staff, 'visit, family proxy registered');
      await staff.fill('#reason-reset_password', 'forgot it');
      await Promise.all([staff.waitForLoadState('load'), staff.locator('form[action="/counter/requests"]:has(input[value="reset_password"]) button[type="submit"]').click()]);
      await staff.locator('.note[role="status"]').waitFor();
      await staff.fill('#reason-code', 'no phone');
      await submit(staff, '/counter/code');
      await staff.locator('section.slip').waitFor();
      await check(staff, 'slip');

      // a supervisor of the centre: the request waiting for approval
      const supervisor = await (await chromium.context()).newPage();
      await signInByCertificate(supervisor, stack.issuer, '/counter', 'huang-qiang');
      await supervisor.goto(`${stack.issuer}/counter?lang=${lang}`);
      assert.ok(await supervisor.locator('form[action$="/approve"]').count(), 'a request to approve');
      await check(supervisor, 'pending approvals');

      await staff.context().close();
      await supervisor.context().close();
      assert.deepEqual(failures, [], failures.join('\n\n'));
    });
  }
});
