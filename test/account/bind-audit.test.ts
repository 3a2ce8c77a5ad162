/** The account page's bindings on the record: once per binding made, and never a change without its record. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { scanWithWechat } from '../providers/wechat/authority.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { refuseAuditEvents } from '../audit/refuse-events.ts';

describe('account bindings and their audit records', () => {
  let stack: Stack;
  let refusal: Awaited<ReturnType<typeof refuseAuditEvents>>;
  const events = async (type: string) =>
    Number((await stack.ctx.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE type = $1 AND data->>'method' = 'wechat'", [type])).rows[0]!.n);
  const wechatCredentials = async (personId: string) => (await stack.ctx.identity.listCredentials(personId)).filter((c) => c.method === 'wechat');

  before(async () => {
    stack = await startStack();
    refusal = await refuseAuditEvents(stack.ctx.db);
    await enrolCitizen(stack, 'li-na', 'Lotus2026pond');
  });
  after(async () => {
    await stack?.close();
  });

  async function account(): Promise<Browser> {
    const b = new Browser(stack.issuer);
    const page = await passwordLogin(b, (await b.open('/account')).text, citizen('li-na').idNumber, 'Lotus2026pond');
    assert.match(page.text, /我的账号/);
    return b;
  }
  async function bindWechat(b: Browser) {
    const start = await b.open('/account/bind/wechat');
    return b.open(await scanWithWechat(start.location!, 'li-na'));
  }

  it('records a WeChat binding once, however often the same account is bound again', async () => {
    const b = await account();
    for (let i = 0; i < 3; i++) {
      const done = await bindWechat(b);
      assert.equal(done.status, 200, `bind ${i + 1}`);
    }
    const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen('li-na').idNumber))!;
    assert.equal((await wechatCredentials(personId)).length, 1);
    assert.equal(await events('credential.bound'), 1);
  });

  it('keeps the binding when its removal cannot be recorded, and removes it once it can', async () => {
    const b = await account();
    const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen('li-na').idNumber))!;
    const [wechat] = await wechatCredentials(personId);
    assert.ok(wechat);
    const unbind = async () => {
      const page = await b.open('/account');
      return b.submit(page.text, /\/account\/unbind/, { credential: wechat.id });
    };

    await refusal.refuse('credential.unbound');
    const refused = await unbind();
    assert.equal(refused.status, 503);
    assert.match(refused.text, /此操作未能写入审计记录，因此没有执行/);
    assert.equal((await wechatCredentials(personId)).length, 1, 'still bound');
    assert.equal(await events('credential.unbound'), 0);

    await refusal.allowAll();
    const done = await unbind();
    assert.equal(done.status, 200);
    assert.equal((await wechatCredentials(personId)).length, 0);
    assert.equal(await events('credential.unbound'), 1);
  });

  it('never removes the last way in, even when two removals arrive at once', async () => {
    const b = await account();
    assert.equal((await bindWechat(b)).status, 200);
    const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen('li-na').idNumber))!;
    const creds = await stack.ctx.identity.listCredentials(personId);
    assert.equal(creds.length, 2);
    const page = await b.open('/account');
    const results = await Promise.all(creds.map((c) => b.submit(page.text, /\/account\/unbind/, { credential: c.id })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.equal((await stack.ctx.identity.listCredentials(personId)).length, 1, 'one way in is left');
  });
});
