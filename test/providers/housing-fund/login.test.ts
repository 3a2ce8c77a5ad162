/** Housing-fund sign-in: existing people only, one answer for unknown and wrong, sealed accounts refused. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { compareTimings, describeTimings } from '../../support/timing.ts';
import { roomyScopes } from '../../support/limits.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import type { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { housingFundAccountOf, SEALED_ACCOUNT_CITIZEN } from '../../../providers/housing-fund/sandbox.ts';
import { count, idTokenFor, openMethod, requestLog } from '../social-security-card/flow.ts';

const METHOD = 'housing-fund';

describe('housing-fund sign-in', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    // every test here comes from one address; timing samples must not run into a back-off
    stack = await startStack({ rateScopes: roomyScopes });
    client = await addClient(stack, 'housing-bureau', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  });

  const submit = (browser: Browser, page: string, account: string, password: string) =>
    browser.submit(page, /method\/housing-fund/, { account, password });
  const exists = async (key: string) => {
    const c = citizen(key);
    await stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'remote', credentials: [] });
    return c;
  };

  it('signs in a person who already exists, at level 1 with pwd, and links nothing', async () => {
    const who = await exists('huang-qiang');
    const acct = housingFundAccountOf('huang-qiang');
    const credentials = await count(stack, 'credentials');
    const { browser, page, req } = await openMethod(stack, client, METHOD);
    const idt = await idTokenFor(stack, client, req, (await submit(browser, page, acct.account, acct.password)).location);
    assert.equal(idt.acr, 'urn:tongban:loa:1');
    assert.deepEqual(idt.amr, ['pwd']);
    assert.ok(await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber));
    assert.equal(await count(stack, 'credentials'), credentials, 'no credential linked without enrolment');
  });

  it('refuses someone we do not know with not_enrolled, and creates nobody', async () => {
    const acct = housingFundAccountOf('wu-haoran');
    const persons = await count(stack, 'persons');
    const { browser, page } = await openMethod(stack, client, METHOD);
    const res = await submit(browser, page, acct.account, acct.password);
    assert.equal(res.location, undefined);
    assert.equal(res.status, 403);
    assert.match(res.text, /not_enrolled/);
    assert.equal(await count(stack, 'persons'), persons);
  });

  it('answers an unknown account and a wrong password the same way, after about the same time', async () => {
    await exists('yang-lei');
    const acct = housingFundAccountOf('yang-lei');
    const shapes = new Set<string>();
    // a fresh form per sample, all opened before timing starts
    const forms: Array<Awaited<ReturnType<typeof openMethod>>> = [];
    for (let i = 0; i < 32; i++) forms.push(await openMethod(stack, client, METHOD));
    const attempt = async (form: (typeof forms)[number], account: string) => {
      const res = await submit(form.browser, form.page, account, 'Wrong@2026');
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.match(res.text, /hf_login_failed/);
      // what may differ between two answers: hidden tokens and the interaction's own links
      shapes.add(`${res.status} ${res.text.replace(/value="[^"]*"/g, '').replace(/\/interaction\/[^/"?]+/g, '')}`);
    };
    const c = await compareTimings(16, (i) => attempt(forms[2 * i]!, `99000000000${i % 10}`), (i) => attempt(forms[2 * i + 1]!, acct.account));
    assert.equal(shapes.size, 1, 'identical answers');
    // both kinds ask the authority; a few ms either way is noise, a missing or extra step is not
    assert.ok(Math.abs(c.a - c.b) < 15 || (c.ratio > 0.5 && c.ratio < 2), describeTimings(c));
  });

  it('refuses a sealed account, even with the right password', async () => {
    await exists(SEALED_ACCOUNT_CITIZEN);
    const acct = housingFundAccountOf(SEALED_ACCOUNT_CITIZEN);
    const { browser, page } = await openMethod(stack, client, METHOD);
    const res = await submit(browser, page, acct.account, acct.password);
    assert.equal(res.location, undefined);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.match(res.text, /hf_account_sealed/);
    assert.match(res.text, /封存/);
  });

  it('checks the account format before calling the centre', async () => {
    const { browser, page } = await openMethod(stack, client, METHOD);
    const calls = (await requestLog(stack, 'housing-fund')).length;
    const bad = await submit(browser, page, '3101-2345', 'Gjj@123456');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /hf_account_malformed/);
    const missing = await submit(browser, page, housingFundAccountOf('xu-li').account, '');
    assert.equal(missing.status, 400);
    assert.match(missing.text, /field_required/);
    assert.equal((await requestLog(stack, 'housing-fund')).length, calls, 'the centre was not called');
  });
});
