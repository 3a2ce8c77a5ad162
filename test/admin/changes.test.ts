/**
 * Four-eyes change requests end to end over the admin API: tightening at once, loosening only
 * after a second admin approves, self-approval and wrong roles refused, lapse after the window,
 * simultaneous approvals applied once, unsafe changes refused with an explanation, every step
 * audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { adminToken } from '../support/admin.ts';
import { auditCount, consoleAdmin, type ConsoleAdmin } from './changes-support.ts';

const WINDOW_SECONDS = 600;

describe('change requests', () => {
  let stack: Stack;
  let offset = 0;
  let alice: ConsoleAdmin; // policy_admin
  let bob: ConsoleAdmin; // policy_admin
  let carol: ConsoleAdmin; // policy_admin
  let helpdesk: ConsoleAdmin;
  let auditor: ConsoleAdmin;
  let root1: ConsoleAdmin; // admin_admin
  let root2: ConsoleAdmin; // admin_admin

  const policy = () => stack.ctx.policy.current();
  const method = (id: string) => policy().document.methods[id]!;

  before(async () => {
    stack = await startStack({ env: { ADMIN_APPROVAL_SECONDS: String(WINDOW_SECONDS), ADMIN_IDLE_SECONDS: '3600' }, clock: () => Date.now() + offset });
    alice = await consoleAdmin(stack, 'zhang-wei', ['policy_admin']);
    bob = await consoleAdmin(stack, 'wang-fang', ['policy_admin']);
    carol = await consoleAdmin(stack, 'li-na', ['policy_admin', 'auditor']);
    helpdesk = await consoleAdmin(stack, 'liu-yang', ['helpdesk']);
    auditor = await consoleAdmin(stack, 'chen-jing', ['auditor']);
    root1 = await consoleAdmin(stack, 'yang-lei', ['admin_admin']);
    root2 = await consoleAdmin(stack, 'zhao-min', ['admin_admin', 'auditor']);
  });
  after(() => stack?.close());

  it('takes a tightening change at once, and audits it', async () => {
    const v = policy().version;
    const applied = await auditCount(stack, 'admin.change_applied');
    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'housing-fund': { level: 2 } } }, reason: '提高公积金登录等级' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { status: 'applied' });
    assert.equal(policy().version, v + 1);
    assert.equal(method('housing-fund').level, 2);
    const seen = await alice.get('/admin/api/policy');
    assert.equal(seen.body.version, v + 1);
    assert.equal(seen.body.document.methods['housing-fund'].level, 2);
    assert.equal(await auditCount(stack, 'admin.change_applied'), applied + 1);
    assert.equal(await auditCount(stack, 'policy.changed', "data->>'actorId' = $2", [alice.actorId]), 1);
  });

  it('makes enabling a disabled method wait for a second admin, then live once approved', async () => {
    const off = await alice.post('/admin/api/policy/changes', { patch: { methods: { face: { enabled: false } } }, reason: '人脸服务受到攻击，先停用' });
    assert.equal(off.status, 200, off.text);
    assert.equal(method('face').enabled, false);
    assert.equal(stack.ctx.methods.has('face'), false, 'a disabled method is not offered');

    const on = await alice.post('/admin/api/policy/changes', { patch: { methods: { face: { enabled: true } } }, reason: '攻击结束，恢复人脸' });
    assert.equal(on.status, 202, on.text);
    assert.equal(on.body.status, 'pending');
    const id = on.body.request_id as string;
    assert.equal(new Date(on.body.expires_at).getTime() - Date.now() - offset > (WINDOW_SECONDS - 60) * 1000, true);
    assert.equal(method('face').enabled, false, 'still disabled while it waits');
    assert.equal(stack.ctx.methods.has('face'), false);

    const list = await bob.get('/admin/api/changes');
    const waiting = list.body.pending.find((r: { id: string }) => r.id === id);
    assert.ok(waiting, 'bob sees the request');
    assert.deepEqual(waiting.summary, ['methods.face.enabled: false → true (loosens)']);
    assert.equal(waiting.proposed_by, alice.actorId);

    const ok = await bob.post(`/admin/api/changes/${id}/approve`, { reason: '已核实攻击结束' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(method('face').enabled, true);
    assert.equal(stack.ctx.methods.has('face'), true, 'offered again once approved');
    assert.equal(await auditCount(stack, 'admin.change_proposed', "data->>'requestId' = $2", [id]), 1);
    assert.equal(await auditCount(stack, 'admin.change_approved', "data->>'requestId' = $2 AND data->>'actorId' = $3", [id, bob.actorId]), 1);
    const done = await bob.get(`/admin/api/changes/${id}`);
    assert.equal(done.body.status, 'applied');
    assert.equal(done.body.decided_by, bob.actorId);
  });

  it('refuses self-approval, and audits the refusal', async () => {
    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'housing-fund': { level: 1 } } }, reason: '恢复原等级' });
    assert.equal(r.status, 202, r.text);
    const id = r.body.request_id as string;
    const self = await alice.post(`/admin/api/changes/${id}/approve`, { reason: '我自己批准' });
    assert.equal(self.status, 403, self.text);
    assert.equal(self.body.error, 'change_self_approval');
    assert.match(self.body.message['zh-CN'], /不能批准自己提出的变更/);
    assert.match(self.body.message.en, /cannot approve your own change/);
    assert.equal(method('housing-fund').level, 2, 'nothing changed');
    assert.equal(await auditCount(stack, 'admin.change_refused', "data->>'requestId' = $2 AND data->>'why' = 'change_self_approval'", [id]), 1);
    // the proposer may withdraw it
    const withdrawn = await alice.post(`/admin/api/changes/${id}/reject`, { reason: '撤回' });
    assert.equal(withdrawn.status, 200, withdrawn.text);
    assert.equal((await bob.post(`/admin/api/changes/${id}/approve`, { reason: '晚了' })).body.error, 'change_closed');
  });

  it('refuses a helpdesk admin’s policy change and an auditor’s approval', async () => {
    const before = policy().version;
    const hd = await helpdesk.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { level: 2 } } }, reason: '想改策略' });
    assert.equal(hd.status, 403, hd.text);
    assert.equal(hd.body.error, 'change_role_required');
    assert.equal(await auditCount(stack, 'admin.change_refused', "data->>'actorId' = $2 AND data->>'why' = 'change_role_required'", [helpdesk.actorId]), 1);

    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { otp: { maxAttempts: 8 } } } }, reason: '放宽尝试次数' });
    assert.equal(r.status, 202, r.text);
    const id = r.body.request_id as string;
    const aud = await auditor.post(`/admin/api/changes/${id}/approve`, { reason: '审计员批准' });
    assert.equal(aud.status, 403, aud.text);
    assert.equal(aud.body.error, 'change_role_required');
    assert.equal(policy().version, before, 'nothing changed');
    // an auditor reads the policy but cannot change it
    assert.equal((await auditor.get('/admin/api/policy')).status, 200);
    assert.equal((await auditor.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { level: 3 } } }, reason: '试试' })).status, 403);
    assert.equal((await bob.post(`/admin/api/changes/${id}/reject`, { reason: '不同意放宽' })).status, 200);
  });

  it('applies a request once when two admins approve it at the same moment', async () => {
    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { otp: { ttlSeconds: 600 } } } }, reason: '延长验证码有效期' });
    assert.equal(r.status, 202, r.text);
    const id = r.body.request_id as string;
    const v = policy().version;
    const tries = [...Array(6)].map((_, i) => (i % 2 ? bob : carol).post(`/admin/api/changes/${id}/approve`, { reason: `同时批准 ${i}` }));
    const results = await Promise.all(tries);
    const statuses = results.map((x) => x.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409], results.map((x) => x.text).join('\n'));
    assert.ok(results.filter((x) => x.status === 409).every((x) => x.body.error === 'change_closed'));
    assert.equal(policy().version, v + 1, 'one new version');
    assert.equal((method('sms-otp').otp as { ttlSeconds: number }).ttlSeconds, 600);
    assert.equal(await auditCount(stack, 'admin.change_approved', "data->>'requestId' = $2", [id]), 1);
    assert.equal(await auditCount(stack, 'policy.changed', "(data->>'version')::int > $2", [v]), 1);
  });

  it('never lets two requests approved at the same moment together do what neither may alone', async () => {
    // each alone leaves one level-3 method for the consoles; both together would leave none
    const a = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'gov-eid': { level: 2 } } }, reason: '国家网证降级' });
    const b = await alice.post('/admin/api/policy/changes', { patch: { methods: { certificate: { level: 2 } } }, reason: '证书降级' });
    assert.equal(a.status, 202, a.text);
    assert.equal(b.status, 202, b.text);
    const [ra, rb] = await Promise.all([
      bob.post(`/admin/api/changes/${a.body.request_id}/approve`, { reason: '同意 A' }),
      carol.post(`/admin/api/changes/${b.body.request_id}/approve`, { reason: '同意 B' }),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409], `${ra.text}\n${rb.text}`);
    const refused = ra.status === 409 ? ra : rb;
    assert.ok(['policy_version_conflict', 'change_unsafe_console_level3'].includes(refused.body.error), refused.text);
    assert.ok(method('gov-eid').level === 3 || method('certificate').level === 3, 'the consoles keep a level-3 method');
    // the one refused is still open; asked again, the safety check explains why it cannot be
    const again = await (ra.status === 409 ? bob : carol).post(`/admin/api/changes/${(ra.status === 409 ? a : b).body.request_id}/approve`, { reason: '再试' });
    assert.equal(again.body.error, 'change_unsafe_console_level3');
    // back to level 3 (raising a level takes effect at once)
    const up = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'gov-eid': { level: 3 }, certificate: { level: 3 } } }, reason: '恢复等级 3' });
    assert.equal(up.status, 200, up.text);
  });

  it('takes proposals and approvals from automation tokens too, never approving its own', async () => {
    const bot = await adminToken(stack, ['policy_admin']);
    const call = (path: string, body: unknown) => request(stack.issuer).post(path).set('Authorization', `Bearer ${bot.token}`).send(body as object);
    const r = await call('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { otp: { maxAttempts: 6 } } } }, reason: '自动化：放宽尝试次数' });
    assert.equal(r.status, 202, r.text);
    const own = await call(`/admin/api/changes/${r.body.request_id}/approve`, { reason: '自动批准' });
    assert.equal(own.status, 403, own.text);
    assert.equal(own.body.error, 'change_self_approval');
    const ok = await carol.post(`/admin/api/changes/${r.body.request_id}/approve`, { reason: '人工复核同意' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(await auditCount(stack, 'admin.change_proposed', "data->>'actorId' = $2", [`client:${bot.clientId}`]), 1);
  });

  it('lets a request lapse after the window', async () => {
    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { otp: { resendSeconds: 30 } } } }, reason: '缩短重发间隔' });
    assert.equal(r.status, 202, r.text);
    const id = r.body.request_id as string;
    const v = policy().version;
    offset += (WINDOW_SECONDS + 1) * 1000;
    const late = await bob.post(`/admin/api/changes/${id}/approve`, { reason: '太晚了' });
    assert.equal(late.status, 409, late.text);
    assert.equal(late.body.error, 'change_lapsed');
    assert.equal(policy().version, v);
    assert.equal((await bob.get(`/admin/api/changes/${id}`)).body.status, 'lapsed');
    assert.equal(await auditCount(stack, 'admin.change_lapsed', "data->>'requestId' = $2", [id]), 1);
    assert.equal((await bob.get('/admin/api/changes')).body.pending.some((x: { id: string }) => x.id === id), false);
  });

  it('refuses a policy leaving the consoles no enabled level-3 method', async () => {
    const v = policy().version;
    const refusals = await auditCount(stack, 'admin.change_refused', "data->>'why' = 'change_unsafe_console_level3'");
    const r = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'gov-eid': { enabled: false }, certificate: { enabled: false } } }, reason: '停用高等级方式' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.error, 'change_unsafe_console_level3');
    assert.match(r.body.message['zh-CN'], /没有任何已启用且能达到安全等级 3 的登录方式/);
    assert.match(r.body.message.en, /no enabled method that reaches level 3/);
    const lowered = await alice.post('/admin/api/policy/changes', { patch: { clients: { 'tongban-admin': { allowedMethods: ['sms-otp', 'id-card-password'] } } }, reason: '只允许短信' });
    assert.equal(lowered.body.error, 'change_unsafe_console_level3');
    assert.equal(policy().version, v);
    assert.equal(await auditCount(stack, 'admin.change_refused', "data->>'why' = 'change_unsafe_console_level3'"), refusals + 2);
  });

  it('refuses disabling every method a department allows', async () => {
    const set = await alice.post('/admin/api/policy/changes', { patch: { clients: { 'tax-office': { allowedMethods: ['housing-fund', 'bank-card'] } } }, reason: '税务只允许两种方式' });
    assert.equal(set.status, 200, set.text);
    const off1 = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'housing-fund': { enabled: false } } }, reason: '停用公积金' });
    assert.equal(off1.status, 200, off1.text);
    const off2 = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'bank-card': { enabled: false } } }, reason: '停用银行卡' });
    assert.equal(off2.status, 409, off2.text);
    assert.equal(off2.body.error, 'change_unsafe_department_no_method');
    assert.match(off2.body.message.en, /tax-office/);
    assert.equal(method('bank-card').enabled, true);
  });

  it('rolls back to an earlier version only with approval', async () => {
    const current = policy().version;
    const r = await alice.post('/admin/api/policy/rollback', { version: 1, reason: '回到初始策略' });
    assert.equal(r.status, 202, r.text);
    assert.equal(policy().version, current);
    const ok = await carol.post(`/admin/api/changes/${r.body.request_id}/approve`, { reason: '同意回滚' });
    assert.equal(ok.status, 200, ok.text);
    const v1 = await alice.get('/admin/api/policy/versions/1');
    assert.deepEqual(policy().document, v1.body.document);
    const versions = await alice.get('/admin/api/policy/versions');
    assert.equal(versions.body.versions[0].rollback_of, 1);
    const diff = await alice.get(`/admin/api/policy/diff?from=${current}`);
    assert.ok(diff.body.diff.length > 0);
  });

  it('exports the policy as a download and imports it back as a proposal', async () => {
    const exported = await alice.get('/admin/api/policy/export');
    assert.equal(exported.status, 200);
    assert.match(exported.headers['content-disposition']!, /attachment; filename="tongban-policy-v\d+\.json"/);
    const file = JSON.parse(exported.text) as { version: number; document: { methods: Record<string, { level: number }> } };
    const same = await alice.post('/admin/api/policy/import', { document: file, reason: '原样导入' });
    assert.equal(same.body.error, 'change_nothing');
    file.document.methods['sms-otp']!.level = 2;
    const imported = await alice.post('/admin/api/policy/import', { document: file, reason: '导入：短信提高到等级 2' });
    assert.equal(imported.status, 200, imported.text);
    assert.equal(method('sms-otp').level, 2);
  });

  it('answers bad input with a 4xx and a message in both languages', async () => {
    const v = policy().version;
    const bad = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { level: 7 } } }, reason: '错误的等级' });
    assert.equal(bad.status, 400, bad.text);
    assert.ok(bad.body.message['zh-CN'] && bad.body.message.en);
    const noReason = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { level: 3 } } }, reason: ' ' });
    assert.equal(noReason.body.error, 'change_reason_required');
    const personal = await alice.post('/admin/api/policy/changes', { patch: { methods: { 'sms-otp': { level: 3 } } }, reason: `为 ${citizen('xu-li').idNumber} 调整` });
    assert.equal(personal.status, 400);
    assert.equal(personal.body.error, 'counter_text_number');
    const unknown = await bob.post('/admin/api/changes/00000000-0000-4000-8000-000000000000/approve', { reason: '没有这个' });
    assert.equal(unknown.status, 404);
    const junk = await alice.post('/admin/api/policy/changes', { patch: 'not an object', reason: 'x' });
    assert.equal(junk.status, 400);
    const bothless = await alice.post('/admin/api/policy/rollback', { version: 'one', reason: 'x' });
    assert.equal(bothless.status, 400);
    assert.equal(policy().version, v);
  });

  it('adds an admin and changes roles with a second admin_admin, never leaving no admin_admin', async () => {
    const xu = citizen('xu-li');
    // a person with a Tongban ID
    await stack.ctx.audit.transaction((tx) => stack.ctx.identity.enrol(xu.idNumber, { name: xu.name, proofing: 'remote', credentials: [] }, tx));
    const nobody = await root1.post('/admin/api/admins', { id_number: citizen('ma-jun').idNumber, roles: ['helpdesk'], reason: '新增服务台' });
    assert.equal(nobody.status, 404, nobody.text);
    assert.equal(nobody.body.error, 'admins_person_unknown');
    const byPolicyAdmin = await alice.post('/admin/api/admins', { id_number: xu.idNumber, roles: ['admin_admin'], reason: '提拔自己人' });
    assert.equal(byPolicyAdmin.status, 403);

    const add = await root1.post('/admin/api/admins', { id_number: xu.idNumber, roles: ['helpdesk'], reason: '新增服务台人员' });
    assert.equal(add.status, 202, add.text);
    assert.equal((await root1.post(`/admin/api/changes/${add.body.request_id}/approve`, { reason: '自己批' })).body.error, 'change_self_approval');
    assert.equal((await root2.post(`/admin/api/changes/${add.body.request_id}/approve`, { reason: '同意' })).status, 200);
    const admins = await root2.get('/admin/api/admins');
    const added = admins.body.admins.find((a: { name: string }) => a.name === xu.name);
    assert.deepEqual(added.roles, ['helpdesk']);
    assert.equal(JSON.stringify(admins.body).includes(xu.idNumber), false, 'the ID number is never shown');
    assert.equal(await auditCount(stack, 'admins.changed', "data->'after'->>'active' = 'true' AND data->>'actorId' = $2", [root2.actorId]), 1);

    // root2 is deactivated (root1 proposes, root2 itself approves: not its own request)
    const off = await root1.post(`/admin/api/admins/${root2.personId}/deactivate`, { reason: '调岗' });
    assert.equal(off.status, 202, off.text);
    assert.equal((await root2.post(`/admin/api/changes/${off.body.request_id}/approve`, { reason: '确认调岗' })).status, 200);
    // root2's console stops at once
    assert.equal((await root2.get('/admin/api/me')).status, 401);
    // root1 is now the last admin_admin: dropping that role or deactivating is refused
    const drop = await root1.post(`/admin/api/admins/${root1.personId}/roles`, { roles: ['auditor'], reason: '只保留审计' });
    assert.equal(drop.status, 409, drop.text);
    assert.equal(drop.body.error, 'change_unsafe_last_admin_admin');
    const self = await root1.post(`/admin/api/admins/${root1.personId}/deactivate`, { reason: '离职' });
    assert.equal(self.body.error, 'change_unsafe_last_admin_admin');
  });
});
