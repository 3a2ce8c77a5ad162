/** Social-security card: per-card back-off, an authority that answers garbage, a PIN that never travels or rests in clear, single use. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import type { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { ConfigError } from '../../../src/errors.ts';
import { method } from '../../../providers/social-security-card/index.ts';
import { configSchema } from '../../../providers/social-security-card/config.ts';
import { socialSecurityCardOf } from '../../../providers/social-security-card/sandbox.ts';
import { count, failNext, idTokenFor, openMethod, requestLog } from './flow.ts';

const METHOD = 'social-security-card';
const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'https://id.example.gov.cn', timeoutMs: 1000 };

describe('social-security-card safety', () => {
  let stack: Stack;
  let client: TestClient;

  let now = Date.now();

  before(async () => {
    stack = await startStack({
      clock: () => now,
      // short back-off so the cap can be observed; the shape is the production one
      rateScopes: {
        id: { threshold: 3, windowSeconds: 60, baseSeconds: 1, maxSeconds: 2 },
        ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
      },
    });
    client = await addClient(stack, 'civil-affairs', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  });

  const submit = (browser: Browser, page: string, cardNo: string, pin: string) =>
    browser.submit(page, /method\/social-security-card/, { card_no: cardNo, pin });
  const verifyCalls = async () => (await requestLog(stack, 'social-security')).filter((r) => r.path === '/api/v2/card/verify').length;

  it('backs off per card after repeated wrong PINs, without asking the authority, until the cap passes', async () => {
    const card = socialSecurityCardOf('zhao-min');
    const wrongPin = card.pin === '000000' ? '999999' : '000000';
    const { browser, page, req } = await openMethod(stack, client, METHOD);
    let last = await submit(browser, page, card.cardNo, wrongPin);
    for (let i = 0; i < 3 && last.status !== 429; i++) last = await submit(browser, page, card.cardNo, wrongPin);
    assert.equal(last.status, 429);
    assert.match(last.text, /rate_limited/);
    // during the back-off even the right PIN is refused, and the card's tries at the authority are spared
    const calls = await verifyCalls();
    const locked = await submit(browser, page, card.cardNo, card.pin);
    assert.equal(locked.status, 429);
    assert.equal(await verifyCalls(), calls);
    now += 2200; // the injected clock: the cap passes without waiting for it
    const ok = await submit(browser, page, card.cardNo, card.pin);
    const idt = await idTokenFor(stack, client, req, ok.location);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
  });

  it('turns a malformed authority answer into "unavailable, try another", audited, with nothing written', async () => {
    const card = socialSecurityCardOf('xu-li');
    const persons = await count(stack, 'persons');
    const credentials = await count(stack, 'credentials');
    const { browser, page } = await openMethod(stack, client, METHOD);
    await failNext(stack, 'social-security', 'malformed', 1);
    const res = await submit(browser, page, card.cardNo, card.pin);
    assert.equal(res.status, 503);
    assert.match(res.text, /method_unavailable/);
    assert.equal(await count(stack, 'persons'), persons);
    assert.equal(await count(stack, 'credentials'), credentials);
    assert.equal(await count(stack, 'audit_log', "type = 'authority.unavailable' AND data::text LIKE '%malformed%'"), 1);
  });

  it('never lets the PIN reach the authority, the audit trail or the database in clear', async () => {
    const who = citizen('wang-fang');
    const card = socialSecurityCardOf('wang-fang');
    const { browser, page, req } = await openMethod(stack, client, METHOD);
    await submit(browser, page, card.cardNo, card.pin === '111111' ? '222222' : '111111');
    await idTokenFor(stack, client, req, (await submit(browser, page, card.cardNo, card.pin)).location);

    const log = (await requestLog(stack, 'social-security')).filter((r) => r.path === '/api/v2/card/verify');
    assert.ok(log.length >= 2);
    for (const entry of log) {
      const body = JSON.parse(entry.body) as Record<string, string>;
      assert.deepEqual(Object.keys(body).sort(), ['cardNo', 'orgCode', 'pinBlock']);
      assert.ok(!entry.body.includes(card.pin), 'no PIN in what the authority received');
      assert.ok(!Buffer.from(body.pinBlock!, 'base64').toString('latin1').includes(card.pin), 'the block is not the PIN encoded');
    }
    const audit = JSON.stringify((await stack.ctx.db.query('SELECT type, data FROM audit_log')).rows);
    const creds = JSON.stringify((await stack.ctx.db.query('SELECT * FROM credentials')).rows);
    for (const secret of [card.pin, card.cardNo, who.idNumber]) {
      assert.ok(!audit.includes(secret), 'audit trail holds no PIN, card number or ID number');
      assert.ok(!creds.includes(secret), 'credentials hold blind indexes only');
    }
  });

  it('signs in once per form: of two simultaneous submissions only one succeeds', async () => {
    const card = socialSecurityCardOf('li-na');
    const { browser, page } = await openMethod(stack, client, METHOD);
    const results = await Promise.all([submit(browser, page, card.cardNo, card.pin), submit(browser, page, card.cardNo, card.pin)]);
    const signedIn = results.filter((r) => r.location?.startsWith(client.redirectUri));
    assert.equal(signedIn.length, 1, `statuses ${results.map((r) => r.status)}`);
    const other = results.find((r) => !r.location?.startsWith(client.redirectUri))!;
    assert.ok(other.status >= 400 && other.status < 500, `status ${other.status}`);
  });

  it('refuses to start in production with credentials from the sandbox console', () => {
    assert.throws(() => method.create(configSchema.parse({}), { ...env, production: true }), ConfigError);
    const pinPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const configured = configSchema.parse({ credentials: { orgCode: '310000TBID01', orgToken: 'x'.repeat(32), pinPublicKey } });
    assert.equal(method.create(configured, { ...env, production: true }).level, 2);
    const badKey = configSchema.parse({ credentials: { orgCode: '310000TBID01', orgToken: 'x'.repeat(32), pinPublicKey: '-----BEGIN PUBLIC KEY-----\nnope' } });
    assert.throws(() => method.create(badKey, { ...env, production: true }), ConfigError);
    assert.equal(configSchema.safeParse({ credentials: { sandboxConsole: true, orgToken: 'x'.repeat(32) } }).success, false);
  });
});
