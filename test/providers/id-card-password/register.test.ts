/** Registration (开通): registry check, SMS code, and every way it can go wrong leaving nothing half-written. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';

describe('id-card-password registration', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Lantern2026moon';

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'social', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  });

  async function enrolPage(browser: Browser): Promise<string> {
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/)!;
    return (await browser.open(link[1]!)).text;
  }
  const persons = async () => Number((await stack.ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM persons')).rows[0]!.n);
  const codeFor = async (phone: string) => {
    const list = (await (await fetch(`${stack.sandboxUrl}/sms/outbox.json?phone=${phone}`)).json()) as Array<{ text: string }>;
    return list[0]!.text.match(/(\d{6})/)![1]!;
  };
  const failNext = (authority: string, mode: string, count: number) =>
    fetch(`${stack.sandboxUrl}/control/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authority, mode, count }),
    });

  it('refuses a name that does not match the ID number', async () => {
    const c = citizen('yang-lei');
    const browser = new Browser(stack.issuer);
    const res = await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: '张三丰', password, phone: c.phone! });
    assert.equal(res.status, 400);
    assert.match(res.text, /registry_mismatch/);
    assert.match(res.text, /姓名与身份证号码不一致/);
    assert.equal(await persons(), 0);
  });

  it('refuses weak passwords and malformed phones before calling any authority', async () => {
    const c = citizen('yang-lei');
    const browser = new Browser(stack.issuer);
    const page = await enrolPage(browser);
    const weak = await browser.submit(page, /enrol/, { id_number: c.idNumber, name: c.name, password: 'abcdefgh', phone: c.phone! });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /password_weak/);
    const phone = await browser.submit(page, /enrol/, { id_number: c.idNumber, name: c.name, password, phone: '12345' });
    assert.match(phone.text, /phone_malformed/);
  });

  it('shows "unavailable, try another" when the registry is down, audits it, and creates nobody', async () => {
    const c = citizen('yang-lei');
    await failNext('registry', 'error', 2); // the connector retries once
    const browser = new Browser(stack.issuer);
    const res = await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: c.name, password, phone: c.phone! });
    assert.equal(res.status, 503);
    assert.match(res.text, /method_unavailable/);
    assert.match(res.text, /换一种方式/);
    assert.equal(await persons(), 0);
    const { rows } = await stack.ctx.db.query<{ data: { authority: string; kind: string } }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable'",
    );
    assert.ok(rows.some((r) => r.data.authority === 'population-registry' && r.data.kind === 'http'));
  });

  it('survives a malformed registry answer and an SMS gateway failure the same way', async () => {
    const c = citizen('yang-lei');
    for (const [authority, mode] of [['registry', 'malformed'], ['sms', 'error']] as const) {
      await failNext(authority, mode, 2);
      const browser = new Browser(stack.issuer);
      const res = await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: c.name, password, phone: c.phone! });
      assert.equal(res.status, 503, `${authority} ${mode}`);
      assert.equal(await persons(), 0);
    }
  });

  it('counts wrong codes, then lets a fresh code finish; the used code cannot be replayed', async () => {
    const c = citizen('yang-lei');
    const browser = new Browser(stack.issuer);
    const otp = await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: c.name, password, phone: c.phone! });
    assert.equal(otp.status, 200);
    const code = await codeFor(c.phone!);
    const wrong = await browser.submit(otp.text, /enrol/, { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /otp_invalid/);
    const done = await browser.submit(wrong.text, /enrol/, { code });
    assert.ok(done.location?.startsWith(client.redirectUri), `registered and signed in (${done.status})`);
    assert.equal(await persons(), 1);
    const replay = await browser.submit(wrong.text, /enrol/, { code });
    assert.notEqual(replay.location?.startsWith(client.redirectUri), true);
    assert.equal(await persons(), 1);
  });

  it('says "already registered" to a second registration and keeps the first password', async () => {
    const c = citizen('yang-lei');
    const browser = new Browser(stack.issuer);
    const res = await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: c.name, password: 'Another2026pw', phone: c.phone! });
    assert.equal(res.status, 409);
    assert.match(res.text, /already_registered/);
    const cred = await stack.ctx.identity.findCredential('id-card-password', c.idNumber);
    assert.ok(cred?.secretHash);
    const { createSecretHasher } = await import('../../../src/crypto/password.ts');
    assert.equal(await createSecretHasher().verify(cred.secretHash, password), true);
  });

  it('gives up after five wrong codes', async () => {
    const c = citizen('xu-li');
    const browser = new Browser(stack.issuer);
    let page = (await browser.submit(await enrolPage(browser), /enrol/, { id_number: c.idNumber, name: c.name, password, phone: c.phone! })).text;
    const code = await codeFor(c.phone!);
    const bad = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) page = (await browser.submit(page, /enrol/, { code: bad })).text;
    const res = await browser.submit(page, /enrol/, { code });
    assert.match(res.text, /otp_expired/);
    assert.equal(await stack.ctx.identity.personExists(c.idNumber), false);
  });
});
