/** Binding from the account page: WeChat once bound signs the same person in; a re-bind to someone else is refused and audited. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { scanWithWechat } from '../providers/wechat/authority.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('binding a WeChat account from the account page', () => {
  let stack: Stack;
  let dept: TestClient;

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'housing', { tongban_first_party: true });
    await enrolCitizen(stack, 'li-na', 'Lotus2026pond');
    await enrolCitizen(stack, 'ma-jun', 'Maple2026leaf');
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  async function account(key: string, password: string): Promise<Browser> {
    const b = new Browser(stack.issuer);
    const page = await passwordLogin(b, (await b.open('/account')).text, citizen(key).idNumber, password);
    assert.match(page.text, /我的账号/);
    return b;
  }

  async function wechatSignIn(b: Browser) {
    const r = authUrl(dept.clientId, dept.redirectUri);
    const chooser = await b.open(r.url);
    const toWechat = await b.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/wechat)"/)![1]!);
    const back = await b.open(await scanWithWechat(toWechat.location!, 'li-na'));
    return { r, back };
  }

  it('signs in by WeChat only after binding, as the same person as by password', async () => {
    const before = await wechatSignIn(new Browser(stack.issuer));
    assert.equal(before.back.status, 403);
    assert.match(before.back.text, /not_bound/);

    const b = await account('li-na', 'Lotus2026pond');
    const start = await b.open('/account/bind/wechat');
    assert.ok(start.location?.includes('/wechat/'), 'sent to WeChat');
    const done = await b.open(await scanWithWechat(start.location!, 'li-na'));
    assert.equal(done.status, 200);
    assert.match(done.text, /绑定成功/);
    assert.match(done.text, /微信/);

    const fresh = new Browser(stack.issuer);
    const byWechat = await wechatSignIn(fresh);
    const t1 = await request(stack.issuer).post('/token').set('Authorization', basic(dept)).type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(byWechat.back.location, byWechat.r.state), redirect_uri: dept.redirectUri, code_verifier: byWechat.r.verifier });
    const r2 = authUrl(dept.clientId, dept.redirectUri);
    const other = new Browser(stack.issuer);
    const d2 = await passwordLogin(other, (await other.open(r2.url)).text, citizen('li-na').idNumber, 'Lotus2026pond');
    const t2 = await request(stack.issuer).post('/token').set('Authorization', basic(dept)).type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(d2.location, r2.state), redirect_uri: dept.redirectUri, code_verifier: r2.verifier });
    assert.equal(decodeJwt(t1.body.id_token).sub, decodeJwt(t2.body.id_token).sub, 'one person, one sub per department');
  });

  it('refuses to bind a WeChat account that belongs to someone else, and audits it', async () => {
    const b = await account('ma-jun', 'Maple2026leaf');
    const start = await b.open('/account/bind/wechat');
    const refused = await b.open(await scanWithWechat(start.location!, 'li-na'));
    assert.equal(refused.status, 409);
    assert.match(refused.text, /credential_conflict/);
    const { rows } = await stack.ctx.db.query<{ data: { method: string } }>("SELECT data FROM audit_log WHERE type = 'credential.conflict'");
    assert.ok(rows.some((r) => r.data.method === 'wechat'));
    const owner = await stack.ctx.identity.findCredential('wechat', (await import('../../providers/wechat/sandbox.ts')).wechatUnionId('li-na'));
    assert.equal(owner?.personId, await stack.ctx.identity.findPersonIdByIdNumber(citizen('li-na').idNumber), 'still li-na’s');
  });

  it('unbinds, after which WeChat no longer signs in', async () => {
    const b = await account('li-na', 'Lotus2026pond');
    const page = await b.open('/account');
    const forms = [...page.text.matchAll(/<tr><td>([^<]+)<\/td>[\s\S]*?name="credential" value="([^"]+)"/g)];
    const wechat = forms.find((f) => f[1]!.includes('微信'));
    assert.ok(wechat, 'WeChat is listed');
    const csrf = page.text.match(/name="csrf" value="([^"]+)"/)![1]!;
    const res = await b.agent.post('/account/unbind').type('form').send({ csrf, credential: wechat[2] }).redirects(0);
    assert.equal(res.status, 303);
    const again = await wechatSignIn(new Browser(stack.issuer));
    assert.equal(again.back.status, 403);
  });
});
