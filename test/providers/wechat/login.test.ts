/**
 * WeChat sign-in through the real pages and the sandbox WeChat: an account signs in only once
 * bound, as the person it is bound to; every callback is used once; errcode answers are failures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { challengeState, sharedState } from '../../../src/interaction/method-context.ts';
import type { MethodContext } from '../../../providers/kit/index.ts';
import { wechatUnionId } from '../../../providers/wechat/sandbox.ts';
import { alipayUserId } from '../../../providers/alipay/sandbox.ts';
import { approveAtAlipay } from '../alipay/authority.ts';
import { countRows, idTokenOf, startMethod, withQuery } from '../alipay/flow.ts';
import { scanWithWechat } from './authority.ts';
import { bindWechat } from './driver.ts';

describe('wechat sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Willow2026quiet';

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'dept-wechat', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function wechatLogin(key: string) {
    const s = await startMethod(stack, client, 'wechat');
    return { ...s, page: await s.browser.open(await scanWithWechat(s.location, key)) };
  }

  it('sends the browser to WeChat QR connect with appid, code, snsapi_login, our callback and a state', async () => {
    const { location } = await startMethod(stack, client, 'wechat');
    const u = new URL(location);
    assert.equal(u.pathname, '/wechat/connect/qrconnect');
    assert.equal(u.hash, '#wechat_redirect');
    assert.match(u.searchParams.get('appid')!, /^wx[0-9a-f]{16}$/);
    assert.equal(u.searchParams.get('response_type'), 'code');
    assert.equal(u.searchParams.get('scope'), 'snsapi_login');
    assert.match(u.searchParams.get('redirect_uri')!, new RegExp(`^${stack.issuer}/interaction/[^/]+/callback/wechat$`));
    assert.ok(u.searchParams.get('state')!.length >= 32);
  });

  it('refuses a WeChat account nobody has bound (not_bound, 403) and creates nothing', async () => {
    const persons = await countRows(stack, 'persons');
    const credentials = await countRows(stack, 'credentials');
    const { page } = await wechatLogin('sun-guilan');
    assert.equal(page.status, 403);
    assert.match(page.text, /not_bound/);
    assert.equal(page.location, undefined);
    assert.equal(await countRows(stack, 'persons'), persons);
    assert.equal(await countRows(stack, 'credentials'), credentials);
  });

  it('signs a bound account in at level 1 with amr swk, with the same pairwise sub as by password and by Alipay', async () => {
    await enrolCitizen(stack, 'wang-fang', password);
    await bindWechat(stack, 'wang-fang');

    const w = await wechatLogin('wang-fang');
    const byWechat = await idTokenOf(stack, client, w.req, w.page.location);
    assert.equal(byWechat.acr, 'urn:tongban:loa:1');
    assert.deepEqual(byWechat.amr, ['swk']);

    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const done = await passwordLogin(browser, (await browser.open(req.url)).text, citizen('wang-fang').idNumber, password);
    assert.equal((await idTokenOf(stack, client, req, done.location)).sub, byWechat.sub);

    const a = await startMethod(stack, client, 'alipay');
    const byAlipay = await a.browser.open(await approveAtAlipay(a.location, alipayUserId('wang-fang')));
    assert.equal((await idTokenOf(stack, client, a.req, byAlipay.location)).sub, byWechat.sub);
  });

  it('says wechat_denied when the citizen refuses on the phone (no code comes back)', async () => {
    const s = await startMethod(stack, client, 'wechat');
    const back = await scanWithWechat(s.location, 'wang-fang', 'deny');
    assert.equal(new URL(back).searchParams.get('code'), null);
    const page = await s.browser.open(back);
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.text, /wechat_denied/);
  });

  it('refuses a callback whose state does not match', async () => {
    const s = await startMethod(stack, client, 'wechat');
    const page = await s.browser.open(withQuery(await scanWithWechat(s.location, 'wang-fang'), { state: 'forged' }));
    assert.equal(page.status, 400);
    assert.match(page.text, /state_mismatch/);
  });

  it('answers errcode 40029 (a code WeChat does not know) with wechat_code_invalid', async () => {
    const s = await startMethod(stack, client, 'wechat');
    const page = await s.browser.open(withQuery(await scanWithWechat(s.location, 'wang-fang'), { code: 'deadbeef'.repeat(4) }));
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.text, /wechat_code_invalid/);
  });

  it('uses a callback once, and a code once even in another flow with its own valid state', async () => {
    const s = await startMethod(stack, client, 'wechat');
    const back = await scanWithWechat(s.location, 'wang-fang');
    const pages = await Promise.all([s.browser.open(back), s.browser.open(back)]);
    assert.equal(pages.filter((p) => p.location?.startsWith(client.redirectUri)).length, 1, `statuses ${pages.map((p) => p.status)}`);
    assert.ok(pages.some((p) => p.status >= 400 && p.status < 500));

    const t = await startMethod(stack, client, 'wechat');
    const own = await scanWithWechat(t.location, 'wang-fang');
    const replay = await t.browser.open(withQuery(own, { code: new URL(back).searchParams.get('code')! }));
    assert.ok(replay.status >= 400 && replay.status < 500, `status ${replay.status}`);
    assert.match(replay.text, /wechat_code_invalid/);
  });

  it('treats a garbled WeChat answer as unavailable (503) and audits it', async () => {
    const s = await startMethod(stack, client, 'wechat');
    const back = await scanWithWechat(s.location, 'wang-fang');
    await fetch(`${stack.sandboxUrl}/control/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authority: 'wechat', mode: 'malformed', count: 1 }),
    });
    const page = await s.browser.open(back);
    assert.equal(page.status, 503);
    assert.match(page.text, /method_unavailable/);
    const { rows } = await stack.ctx.db.query<{ data: { kind: string; authority: string } }>("SELECT data FROM audit_log WHERE type = 'authority.unavailable'");
    assert.ok(rows.some((r) => r.data.authority === 'wechat' && r.data.kind === 'malformed'));
  });

  it('runs the same flow for any callback URL (binding from the account page)', async () => {
    const m = stack.ctx.methods.get('wechat')!;
    const callbackUrl = `${stack.issuer}/account/bind/wechat/callback`;
    const ctx = {
      interactionId: 'bind-test',
      callbackUrl,
      state: challengeState(stack.ctx.store, 'test:bind:wechat'),
      shared: sharedState(stack.ctx.store, 'wechat'),
      sourceIp: '127.0.0.1',
      lang: 'zh-CN',
    } as unknown as MethodContext;
    const challenge = await m.flows.login.start(ctx);
    assert.equal(challenge.kind, 'redirect');
    const url = (challenge as { url: string }).url;
    assert.equal(new URL(url).searchParams.get('redirect_uri'), callbackUrl);
    const back = new URL(await scanWithWechat(url, 'liu-yang'));
    assert.equal(`${back.origin}${back.pathname}`, callbackUrl);
    const result = await m.flows.login.verify(ctx, { ...Object.fromEntries(back.searchParams), step: 'callback' });
    assert.equal(result.status, 'verified');
    assert.deepEqual((result as { claim: unknown }).claim, { kind: 'external', method: 'wechat', identifier: wechatUnionId('liu-yang') });
  });
});
