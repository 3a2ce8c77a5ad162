/**
 * The policy, approvals and admins pages without JavaScript: an edit shows its diff and whether
 * a second admin must approve BEFORE it is submitted; a tightening is in force on submission; a
 * loosening waits on the approvals page (and the home page's panel) until another admin approves
 * it there; an unsafe edit is explained on the page; versions offer a rollback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { consoleAdmin, type ConsoleAdmin } from './changes-support.ts';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The fields a page's form would send as it stands: inputs' values, selects' chosen options, textareas, checked boxes. */
function formFields(page: string, action: string): Record<string, string | string[]> {
  const start = page.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `a form posting to ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = out[name];
    out[name] = had === undefined ? value : [had, value].flat();
  };
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(attrs) && !/ checked/.test(attrs)) continue;
    add(decode(name), decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? ''));
  }
  for (const m of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    add(decode(m[1]!), decode(/<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? ''));
  }
  for (const m of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(decode(m[1]!), decode(m[2]!));
  return out;
}

describe('change pages', () => {
  let stack: Stack;
  let alice: ConsoleAdmin;
  let bob: ConsoleAdmin;
  let root1: ConsoleAdmin;
  let root2: ConsoleAdmin;
  const policy = () => stack.ctx.policy.current();

  before(async () => {
    stack = await startStack();
    alice = await consoleAdmin(stack, 'zhang-wei', ['policy_admin']);
    bob = await consoleAdmin(stack, 'wang-fang', ['policy_admin']);
    root1 = await consoleAdmin(stack, 'yang-lei', ['admin_admin']);
    root2 = await consoleAdmin(stack, 'zhao-min', ['admin_admin']);
  });
  after(() => stack?.close());

  /** Edits a method on its page, sends the preview; returns the confirm page. */
  async function preview(who: ConsoleAdmin, path: string, change: Record<string, string | string[]>) {
    const edit = await who.browser.open(path);
    assert.equal(edit.status, 200, edit.text.slice(0, 400));
    const fields = { ...formFields(edit.text, '/admin/policy/preview'), ...change };
    delete fields._csrf;
    return who.form('/admin/policy/preview', fields);
  }

  it('shows the diff before a tightening is submitted, then puts it in force at once', async () => {
    const overview = await alice.browser.open('/admin/policy');
    assert.equal(overview.status, 200);
    assert.match(overview.text, /<h1>登录策略（版本 1）<\/h1>/);
    assert.match(overview.text, /href="\/admin\/policy\/methods\/face"/);
    const v = policy().version;
    const confirm = await preview(alice, '/admin/policy/methods/face', { 'f.enabled': 'false' });
    assert.equal(confirm.status, 200, confirm.text.slice(0, 400));
    assert.match(confirm.text, /<span class="code">methods\.face\.enabled: true → false<\/span> — <strong>收紧<\/strong>/);
    assert.match(confirm.text, /提交后立即生效/);
    assert.equal(policy().version, v, 'nothing is submitted by the preview');
    const sent = await alice.form('/admin/policy/propose', { ...formFields(confirm.text, '/admin/policy/propose'), reason: '人脸服务异常，先停用' });
    assert.equal(sent.status, 303, sent.text.slice(0, 400));
    assert.equal(sent.location, '/admin/policy?notice=applied');
    assert.equal(policy().document.methods.face!.enabled, false);
    assert.match((await alice.browser.open(sent.location!)).text, /变更已生效/);
  });

  it('makes a loosening wait on the approvals page and the home panel until another admin approves it', async () => {
    const confirm = await preview(alice, '/admin/policy/methods/face', { 'f.enabled': 'true' });
    assert.match(confirm.text, /methods\.face\.enabled: false → true<\/span> — <strong>放宽<\/strong>/);
    assert.match(confirm.text, /需要另一位有相应角色的管理员在 24 小时内批准才会生效/);
    const sent = await alice.form('/admin/policy/propose', { ...formFields(confirm.text, '/admin/policy/propose'), reason: '恢复人脸' });
    assert.equal(sent.status, 303);
    assert.match(sent.location!, /^\/admin\/policy\?notice=pending&until=\d+$/);
    assert.equal(policy().document.methods.face!.enabled, false, 'not yet');

    const mine = await alice.browser.open('/admin/approvals');
    assert.match(mine.text, /这是您提出的变更/);
    assert.doesNotMatch(mine.text, /action="\/admin\/approvals\/[^"]+\/approve"/, 'no approve button on one’s own request');

    const home = await bob.browser.open('/admin');
    assert.match(home.text, /有 1 项变更等待批准/);
    const approvals = await bob.browser.open('/admin/approvals');
    const action = /action="(\/admin\/approvals\/[0-9a-f-]+\/approve)"/.exec(approvals.text)?.[1];
    assert.ok(action, 'an approve form');
    const noReason = await bob.form(action, { reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.text, /请填写变更原因/);
    const ok = await bob.form(action, { reason: '确认恢复' });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    assert.equal(policy().document.methods.face!.enabled, true);
    const again = await bob.form(action, { reason: '再批一次' });
    assert.equal(again.status, 409);
    assert.match(again.text, /已经处理过了/);
  });

  it('explains an unsafe edit on the page and changes nothing', async () => {
    const v = policy().version;
    const r = await preview(alice, '/admin/policy/clients/tongban-admin', { allowedMethods: ['sms-otp', 'id-card-password'] });
    assert.equal(r.status, 409);
    assert.match(r.text, /role="alert"/);
    assert.match(r.text, /「tongban-admin」将没有任何已启用且能达到安全等级 3 的登录方式/);
    assert.equal(policy().version, v);
  });

  it('edits a department’s rule and lists versions with a rollback that waits for approval', async () => {
    const confirm = await preview(alice, '/admin/policy/clients?id=tax-office', { allowedMethods: ['gov-eid', 'certificate'], minLevel: '3' });
    assert.equal(confirm.status, 200, confirm.text.slice(0, 400));
    assert.match(confirm.text, /clients\.tax-office\.allowedMethods/);
    const sent = await alice.form('/admin/policy/propose', { ...formFields(confirm.text, '/admin/policy/propose'), reason: '税务只允许高等级方式' });
    assert.equal(sent.status, 303, /role="alert">([\s\S]*?)<\/div>/.exec(sent.text)?.[1]);
    // a minimum level where none was set may be below what the registration says: it waits
    assert.match(sent.location!, /notice=pending/);
    const approvals = await bob.browser.open('/admin/approvals');
    const action = /action="(\/admin\/approvals\/[0-9a-f-]+\/approve)"/.exec(approvals.text)![1]!;
    assert.equal((await bob.form(action, { reason: '同意' })).status, 303);
    assert.deepEqual(policy().document.clients['tax-office'], { minLevel: 3, allowedMethods: ['gov-eid', 'certificate'] });
    const versions = await alice.browser.open('/admin/policy/versions');
    assert.equal(versions.status, 200, versions.text.slice(-1500));
    assert.match(versions.text, /版本 1/);
    assert.match(versions.text, /action="\/admin\/policy\/rollback"/);
    const back = await alice.form('/admin/policy/rollback', { version: '1', reason: '回到初始策略' });
    assert.equal(back.status, 303, back.text.slice(0, 300));
    assert.match(back.location!, /notice=pending/);
    const auditorView = await root1.browser.open('/admin/policy');
    assert.equal(auditorView.status, 403, 'an admin_admin without policy roles does not see the policy');
  });

  it('adds an admin by ID number from the admins page; a second admin_admin approves', async () => {
    const xu = citizen('xu-li');
    await stack.ctx.audit.transaction((tx) => stack.ctx.identity.enrol(xu.idNumber, { name: xu.name, proofing: 'remote', credentials: [] }, tx));
    const page = await root1.browser.open('/admin/admins');
    assert.equal(page.status, 200);
    assert.match(page.text, /杨磊/);
    const sent = await root1.form('/admin/admins', { id_number: xu.idNumber, roles: ['helpdesk', 'auditor'], reason: '新增服务台' });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    const approvals = await root2.browser.open('/admin/approvals');
    assert.match(approvals.text, /admins\.add/);
    assert.equal(approvals.text.includes(xu.idNumber), false, 'the ID number is not shown');
    const action = /action="(\/admin\/approvals\/[0-9a-f-]+\/approve)"/.exec(approvals.text)![1]!;
    assert.equal((await root2.form(action, { reason: '同意' })).status, 303);
    const after = await root2.browser.open('/admin/admins');
    assert.match(after.text, /徐丽/);
    const roleBoxes = [...after.text.matchAll(/name="roles" value="(\w+)" checked/g)].map((m) => m[1]);
    assert.ok(roleBoxes.includes('helpdesk') && roleBoxes.includes('auditor'));
  });
});
