/** Bank-card configuration: where its keys come from, the production guard, the connector's protocol, and enrolment off. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { method } from '../../../providers/bank-card/index.ts';
import { configSchema } from '../../../providers/bank-card/config.ts';
import { createBankConnector } from '../../../providers/bank-card/connector.ts';
import { bankCardOf, frozenCardOf } from '../../../providers/bank-card/sandbox.ts';
import { luhnValid } from '../../../providers/bank-card/card.ts';
import { startSandbox, type RunningSandbox } from '../../../providers/sandboxes.ts';
import { AuthorityUnavailable, ConfigError } from '../../../src/errors.ts';
import { CITIZENS, citizen } from '../../../src/sandbox/citizens.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { enrolCitizen } from '../../support/login.ts';
import { count, latestCode, openMethod } from '../sms-otp/steps.ts';
import { fourElements } from './steps.ts';

const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'https://id.example', timeoutMs: 500 };

describe('bank-card configuration', () => {
  it('is off until configured and takes its keys from the sandbox console', () => {
    const cfg = configSchema.parse({});
    assert.equal(cfg.enabled, false);
    assert.equal(cfg.level, 2);
    assert.equal(cfg.enrol, true);
    assert.deepEqual(cfg.credentials, { sandboxConsole: true });
  });

  it('refuses the sandbox console in production, and accepts explicit keys there', () => {
    assert.throws(() => method.create(configSchema.parse({}), { ...env, production: true }), ConfigError);
    const explicit = configSchema.parse({ credentials: { merchantId: 'city-001', apiKey: 'k'.repeat(32) } });
    assert.equal(method.create(explicit, { ...env, production: true }).level, 2);
  });

  it('refuses keys mixed with the console, short keys and unknown settings', () => {
    for (const bad of [
      { credentials: { sandboxConsole: true, apiKey: 'k'.repeat(32) } },
      { credentials: { merchantId: 'city-001', apiKey: 'short' } },
      { otp: { ttlSeconds: 5 } },
      { typo: true },
    ]) {
      assert.equal(configSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it('gives every citizen with a phone a Luhn-valid 622848 card and a frozen one, and none to those without', () => {
    for (const c of CITIZENS.filter((x) => x.phone)) {
      assert.match(bankCardOf(c.key), /^622848\d{13}$/);
      assert.ok(luhnValid(bankCardOf(c.key)) && luhnValid(frozenCardOf(c.key)));
      assert.notEqual(bankCardOf(c.key), frozenCardOf(c.key));
    }
    assert.throws(() => bankCardOf('sun-guilan'));
  });
});

describe('bank-card connector against the sandbox bank', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(() => sandbox?.close());

  const c = citizen('zhang-wei');
  const elements = { name: c.name, idNumber: c.idNumber, cardNumber: bankCardOf('zhang-wei'), mobile: c.phone! };

  it('fetches its keys once and reads the four answers', async () => {
    const bank = createBankConnector({ baseUrl: `${sandbox.url}/bank`, timeoutMs: 800, credentials: 'sandbox-console' });
    assert.equal((await bank.verify4(elements)).result, 'match');
    assert.equal((await bank.verify4({ ...elements, mobile: '13700000000' })).result, 'mismatch');
    assert.equal((await bank.verify4({ ...elements, cardNumber: frozenCardOf('zhang-wei') })).result, 'frozen');
    assert.equal((await bank.verify4({ ...elements, cardNumber: '6228480000000000000' })).result, 'not_found');
  });

  it('treats a wrong API key, a bad signature and a garbled answer as an unavailable authority', async () => {
    const wrongKey = createBankConnector({
      baseUrl: `${sandbox.url}/bank`,
      timeoutMs: 800,
      credentials: { merchantId: 'city-001', apiKey: 'k'.repeat(32) },
    });
    await assert.rejects(wrongKey.verify4(elements), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'http');
    const bank = createBankConnector({ baseUrl: `${sandbox.url}/bank`, timeoutMs: 800, credentials: 'sandbox-console' });
    await bank.verify4(elements); // keys fetched before the failures below
    sandbox.sandbox.control.fail('bank', 'bad_signature', 1);
    await assert.rejects(bank.verify4(elements), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'signature');
    sandbox.sandbox.control.fail('bank', 'malformed', 2);
    await assert.rejects(bank.verify4(elements), (e: unknown) => e instanceof AuthorityUnavailable && e.kind === 'malformed');
    sandbox.sandbox.control.reset();
  });
});

describe('bank-card with enrolment off', () => {
  let stack: Stack;
  let client: TestClient;
  before(async () => {
    stack = await startStack({ methodSettings: { 'bank-card': { enrol: false } } });
    client = await addClient(stack, 'social', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function signIn(key: string) {
    const browser = new Browser(stack.issuer);
    const page = await openMethod(browser, authUrl(client.clientId, client.redirectUri).url, 'bank-card');
    const sent = await browser.submit(page.text, /method\/bank-card/, fourElements(key));
    assert.equal(sent.status, 200);
    return browser.submit(sent.text, /method\/bank-card/, { code: await latestCode(stack, citizen(key).phone!) });
  }

  it('refuses a person it does not know yet and creates nobody', async () => {
    const res = await signIn('yang-lei');
    assert.equal(res.location, undefined);
    assert.match(res.text, /not_enrolled/);
    assert.equal(await count(stack, 'persons'), 0);
    assert.equal(await count(stack, 'credentials'), 0);
  });

  it('still signs in a known person and binds the card to them', async () => {
    await enrolCitizen(stack, 'xu-li', 'Lantern2026moon');
    const res = await signIn('xu-li');
    assert.ok(res.location?.startsWith(client.redirectUri), `signed in (${res.status})`);
    const person = await stack.ctx.identity.findCredential('id-card-password', citizen('xu-li').idNumber);
    assert.equal((await stack.ctx.identity.findCredential('bank-card', bankCardOf('xu-li')))?.personId, person?.personId);
  });
});
