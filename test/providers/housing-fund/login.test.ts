/** Housing-fund sign-in: existing people only, one answer for unknown and wrong, sealed accounts refused. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
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
    stack = await startStack();
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
    const unknown: number[] = [];
    const wrong: number[] = [];
    // four of each (five would start the per-account back-off), a fresh form per pair, alternating which goes first
    for (let i = 0; i < 4; i++) {
      const { browser, page } = await openMethod(stack, client, METHOD);
      const timed = async (account: string) => {
        const t = process.hrtime.bigint();
        const res = await submit(browser, page, account, 'Wrong@2026');
        return { ...res, ms: Number(process.hrtime.bigint() - t) / 1e6 };
      };
      const stranger = `99000000000${i}`;
      const first = await timed(i % 2 ? stranger : acct.account);
      const second = await timed(i % 2 ? acct.account : stranger);
      const [u, w] = i % 2 ? [first, second] : [second, first];
      assert.ok(u.status >= 400 && u.status < 500, `status ${u.status}`);
      assert.equal(u.status, w.status);
      assert.match(u.text, /hf_login_failed/);
      assert.equal(u.text.replace(/value="[^"]*"/g, ''), w.text.replace(/value="[^"]*"/g, ''), 'identical pages');
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    const [mu, mw] = [Math.min(...unknown), Math.min(...wrong)];
    assert.ok(Math.abs(mu - mw) < 15 || (mu / mw > 0.5 && mu / mw < 2), `unknown ${unknown}, wrong ${wrong}`);
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
