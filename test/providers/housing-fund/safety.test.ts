/** Housing-fund: answers that cannot be trusted, a password that never travels in clear, back-off, enrolment when configured. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import type { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { ConfigError } from '../../../src/errors.ts';
import { method } from '../../../providers/housing-fund/index.ts';
import { configSchema } from '../../../providers/housing-fund/config.ts';
import { housingFundAccountOf } from '../../../providers/housing-fund/sandbox.ts';
import { count, failNext, idTokenFor, openMethod, requestLog } from '../social-security-card/flow.ts';

const METHOD = 'housing-fund';
const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'https://id.example.gov.cn', timeoutMs: 1000 };

describe('housing-fund safety', () => {
  let stack: Stack;
  let client: TestClient;

  let now = Date.now();

  before(async () => {
    stack = await startStack({
      clock: () => now,
      rateScopes: {
        id: { threshold: 3, windowSeconds: 60, baseSeconds: 1, maxSeconds: 2 },
        ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
      },
      // enrolment on: the centre's name and ID number may create the person
      methodSettings: { 'housing-fund': { enrol: true } },
    });
    client = await addClient(stack, 'fund-centre', { tongban_first_party: true });
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

  for (const mode of ['malformed', 'bad_signature'] as const) {
    it(`treats a ${mode.replace('_', ' ')} answer as "unavailable, try another", audited, with nothing written`, async () => {
      const acct = housingFundAccountOf('chen-jing');
      const persons = await count(stack, 'persons');
      const credentials = await count(stack, 'credentials');
      const { browser, page } = await openMethod(stack, client, METHOD);
      await failNext(stack, 'housing-fund', mode, 1);
      const res = await submit(browser, page, acct.account, acct.password);
      assert.equal(res.status, 503);
      assert.match(res.text, /method_unavailable/);
      assert.equal(await count(stack, 'persons'), persons);
      assert.equal(await count(stack, 'credentials'), credentials);
      const kind = mode === 'bad_signature' ? 'signature' : 'malformed';
      assert.equal(await count(stack, 'audit_log', `type = 'authority.unavailable' AND data::text LIKE '%"${kind}"%'`), 1);
    });
  }

  it('enrols from the centre’s answer when configured, linking the account, and never sends the password in clear', async () => {
    const who = citizen('zhou-xiuying');
    const acct = housingFundAccountOf('zhou-xiuying');
    const { browser, page, req } = await openMethod(stack, client, METHOD);
    const idt = await idTokenFor(stack, client, req, (await submit(browser, page, acct.account, acct.password)).location);
    assert.equal(idt.acr, 'urn:tongban:loa:1');
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId);
    assert.equal((await stack.ctx.identity.findCredential(METHOD, acct.account))?.personId, personId);

    const log = (await requestLog(stack, 'housing-fund')).filter((r) => r.path === '/gjj/api/login');
    assert.ok(log.length >= 1);
    const digest = createHash('sha256').update(`${acct.account}:${acct.password}`).digest('hex');
    for (const entry of log) {
      assert.ok(!entry.body.includes(encodeURIComponent(acct.password)) && !entry.body.includes(acct.password), 'no password in what the centre received');
      assert.deepEqual([...new URLSearchParams(entry.body).keys()].sort(), ['account', 'appid', 'nonce', 'password_digest', 'sign', 'timestamp']);
    }
    assert.ok(log.some((e) => new URLSearchParams(e.body).get('password_digest') === digest));
    const audit = JSON.stringify((await stack.ctx.db.query('SELECT type, data FROM audit_log')).rows);
    for (const secret of [acct.password, acct.account, who.idNumber]) assert.ok(!audit.includes(secret));
  });

  it('backs off per account after repeated wrong passwords, without asking the centre, until the cap passes', async () => {
    const acct = housingFundAccountOf('liu-yang');
    const { browser, page, req } = await openMethod(stack, client, METHOD);
    let last = await submit(browser, page, acct.account, 'Wrong@2026');
    for (let i = 0; i < 3 && last.status !== 429; i++) last = await submit(browser, page, acct.account, 'Wrong@2026');
    assert.equal(last.status, 429);
    assert.match(last.text, /rate_limited/);
    const calls = (await requestLog(stack, 'housing-fund')).length;
    assert.equal((await submit(browser, page, acct.account, acct.password)).status, 429);
    assert.equal((await requestLog(stack, 'housing-fund')).length, calls);
    now += 2200; // the injected clock: the cap passes without waiting for it
    await idTokenFor(stack, client, req, (await submit(browser, page, acct.account, acct.password)).location);
  });

  it('refuses to start in production with credentials from the sandbox console', () => {
    assert.throws(() => method.create(configSchema.parse({}), { ...env, production: true }), ConfigError);
    const configured = configSchema.parse({ credentials: { appid: 'gjj310000tongban', appSecret: 's'.repeat(40) } });
    assert.equal(method.create(configured, { ...env, production: true }).level, 1);
    assert.equal(configSchema.parse({}).enrol, false, 'a level-1 method creates nobody unless told to');
  });
});
