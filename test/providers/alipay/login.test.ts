/**
 * Alipay sign-in through the real pages and the sandbox Alipay: certified users are enrolled and
 * linked by ID number, uncertified ones must be bound, and every callback is used once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { alipayUserId, UNCERTIFIED_USER_ID } from '../../../providers/alipay/sandbox.ts';
import { challengeState, sharedState } from '../../../src/interaction/method-context.ts';
import type { MethodContext } from '../../../providers/kit/index.ts';
import { approveAtAlipay } from './authority.ts';
import { countRows, idTokenOf, startMethod, withQuery } from './flow.ts';

describe('alipay sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Lantern2026bright';

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'dept-alipay', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function alipayLogin(userId: string) {
    const s = await startMethod(stack, client, 'alipay');
    const page = await s.browser.open(await approveAtAlipay(s.location, userId));
    return { ...s, page };
  }

  async function passwordSub(key: string): Promise<string> {
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const chooser = await browser.open(req.url);
    const done = await passwordLogin(browser, chooser.text, citizen(key).idNumber, password);
    return String((await idTokenOf(stack, client, req, done.location)).sub);
  }

  it('sends the browser to Alipay with app_id, scope auth_user, our callback and a fresh state', async () => {
    const a = new URL((await startMethod(stack, client, 'alipay')).location);
    const b = new URL((await startMethod(stack, client, 'alipay')).location);
    assert.equal(a.pathname, '/alipay/oauth2/publicAppAuthorize.htm');
    assert.match(a.searchParams.get('app_id')!, /^\d{16}$/);
    assert.equal(a.searchParams.get('scope'), 'auth_user');
    assert.match(a.searchParams.get('redirect_uri')!, new RegExp(`^${stack.issuer}/interaction/[^/]+/callback/alipay$`));
    assert.ok(a.searchParams.get('state')!.length >= 32);
    assert.notEqual(a.searchParams.get('state'), b.searchParams.get('state'));
  });

  it('enrols a certified Alipay user on first sight and signs them in at level 2 with amr swk', async () => {
    const who = citizen('zhao-min');
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber), null);
    const { req, page } = await alipayLogin(alipayUserId('zhao-min'));
    const idt = await idTokenOf(stack, client, req, page.location);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    assert.deepEqual(idt.amr, ['swk']);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId, 'the person was created');
    assert.equal((await stack.ctx.identity.findCredential('alipay', alipayUserId('zhao-min')))?.personId, personId);
    const { rows } = await stack.ctx.db.query<{ data: unknown }>("SELECT data FROM audit_log WHERE type = 'person.enrolled'");
    assert.ok(!JSON.stringify(rows).includes(who.idNumber), 'no ID number in the audit log');
  });

  it('gives one person the same pairwise sub by Alipay and by ID number + password', async () => {
    await enrolCitizen(stack, 'chen-jing', password);
    const bySecret = await passwordSub('chen-jing');
    const { req, page } = await alipayLogin(alipayUserId('chen-jing'));
    assert.equal((await idTokenOf(stack, client, req, page.location)).sub, bySecret);
  });

  it('refuses an uncertified Alipay user until the account is bound (not_bound), then signs in as that person', async () => {
    const persons = await countRows(stack, 'persons');
    const refused = await alipayLogin(UNCERTIFIED_USER_ID);
    assert.equal(refused.page.status, 403);
    assert.match(refused.page.text, /not_bound/);
    assert.equal(refused.page.location, undefined);
    assert.equal(await countRows(stack, 'persons'), persons, 'nobody created');

    await enrolCitizen(stack, 'zhang-wei', password);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhang-wei').idNumber);
    await stack.ctx.identity.bind(personId!, { method: 'alipay', identifier: UNCERTIFIED_USER_ID });
    const bound = await alipayLogin(UNCERTIFIED_USER_ID);
    assert.equal((await idTokenOf(stack, client, bound.req, bound.page.location)).sub, await passwordSub('zhang-wei'));
  });

  it('refuses a callback whose state does not match', async () => {
    const s = await startMethod(stack, client, 'alipay');
    const back = await approveAtAlipay(s.location, alipayUserId('li-na'));
    const page = await s.browser.open(withQuery(back, { state: 'not-the-state-we-sent' }));
    assert.equal(page.status, 400);
    assert.match(page.text, /state_mismatch/);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(citizen('li-na').idNumber), null);
  });

  it('uses a callback once: the same auth_code and state twice sign in once', async () => {
    const s = await startMethod(stack, client, 'alipay');
    const back = await approveAtAlipay(s.location, alipayUserId('liu-yang'));
    const pages = await Promise.all([s.browser.open(back), s.browser.open(back)]);
    const won = pages.filter((p) => p.location?.startsWith(client.redirectUri));
    assert.equal(won.length, 1, `statuses ${pages.map((p) => p.status)}`);
    const lost = pages.find((p) => p !== won[0])!;
    assert.ok(lost.status >= 400 && lost.status < 500, `status ${lost.status}`);
    const again = await s.browser.open(back);
    assert.equal(again.location?.startsWith(client.redirectUri) ?? false, false, 'no second login');
  });

  it('refuses an auth_code used before, even in another flow with its own valid state (alipay_code_invalid)', async () => {
    const first = await startMethod(stack, client, 'alipay');
    const used = await approveAtAlipay(first.location, alipayUserId('yang-lei'));
    await idTokenOf(stack, client, first.req, (await first.browser.open(used)).location);
    const s = await startMethod(stack, client, 'alipay');
    const own = await approveAtAlipay(s.location, alipayUserId('yang-lei'));
    const page = await s.browser.open(withQuery(own, { auth_code: new URL(used).searchParams.get('auth_code')! }));
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.text, /alipay_code_invalid/);
  });

  it('refuses an auth_code Alipay does not know (alipay_code_invalid)', async () => {
    const s = await startMethod(stack, client, 'alipay');
    const back = await approveAtAlipay(s.location, alipayUserId('li-na'));
    const page = await s.browser.open(withQuery(back, { auth_code: 'c0ffee'.repeat(5) }));
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.text, /alipay_code_invalid/);
  });

  it('says alipay_denied when the citizen cancels at Alipay', async () => {
    const s = await startMethod(stack, client, 'alipay');
    const back = await approveAtAlipay(s.location, alipayUserId('li-na'), 'deny');
    assert.equal(new URL(back).searchParams.get('auth_code'), null);
    const page = await s.browser.open(back);
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.text, /alipay_denied/);
  });

  it('treats a wrongly signed Alipay answer as unavailable (503), audits it, and writes nothing', async () => {
    const persons = await countRows(stack, 'persons');
    const credentials = await countRows(stack, 'credentials');
    const s = await startMethod(stack, client, 'alipay');
    const back = await approveAtAlipay(s.location, alipayUserId('ma-jun'));
    await fetch(`${stack.sandboxUrl}/control/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authority: 'alipay', mode: 'bad_signature', count: 1 }),
    });
    const page = await s.browser.open(back);
    assert.equal(page.status, 503);
    assert.match(page.text, /method_unavailable/);
    const { rows } = await stack.ctx.db.query<{ data: { kind: string; authority: string } }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable'",
    );
    assert.ok(rows.some((r) => r.data.authority === 'alipay' && r.data.kind === 'signature'), JSON.stringify(rows));
    assert.equal(await countRows(stack, 'persons'), persons);
    assert.equal(await countRows(stack, 'credentials'), credentials);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(citizen('ma-jun').idNumber), null);
  });

  it('runs the same flow for any callback URL (binding an uncertified account from the account page)', async () => {
    const m = stack.ctx.methods.get('alipay')!;
    const callbackUrl = `${stack.issuer}/account/bind/alipay/callback`;
    const ctx = {
      interactionId: 'bind-test',
      callbackUrl,
      state: challengeState(stack.ctx.store, 'test:bind:alipay'),
      shared: sharedState(stack.ctx.store, 'alipay'),
      sourceIp: '127.0.0.1',
      lang: 'zh-CN',
    } as unknown as MethodContext;
    const challenge = await m.flows.login.start(ctx);
    assert.equal(challenge.kind, 'redirect');
    const back = new URL(await approveAtAlipay((challenge as { url: string }).url, UNCERTIFIED_USER_ID));
    assert.equal(`${back.origin}${back.pathname}`, callbackUrl);
    const result = await m.flows.login.verify(ctx, { ...Object.fromEntries(back.searchParams), step: 'callback' });
    assert.equal(result.status, 'verified');
    assert.deepEqual((result as { claim: unknown }).claim, { kind: 'external', method: 'alipay', identifier: UNCERTIFIED_USER_ID });
  });
});
