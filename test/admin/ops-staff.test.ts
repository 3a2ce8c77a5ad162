/**
 * Service centres and counter staff from the admin console: a staff admin adds a centre and a
 * member of staff (by ID number, as the CLI does), deactivates them, and the counter console
 * refuses them from then on; every change audited with actor, roles, reason and before/after;
 * bad input and other roles refused; the page works without script.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { adminConsole, adminToken, createAdmin } from '../support/admin.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('service centres and counter staff', () => {
  let stack: Stack;
  let token: string;
  const post = (path: string, body: object, t = token) => request(stack.issuer).post(`/admin/api${path}`).set('Authorization', `Bearer ${t}`).send(body);

  before(async () => {
    stack = await startStack();
    token = (await adminToken(stack, ['staff_admin'])).token;
  });
  after(async () => {
    await stack?.close();
  });

  it('adds a centre and staff, deactivates them, and audits each change', async () => {
    const centre = await post('/staff/centres', { id: 'pudong-3', name: '浦东第三服务中心', district: '浦东新区', reason: 'new centre opens' });
    assert.equal(centre.status, 201, centre.text);
    const again = await post('/staff/centres', { id: 'pudong-3', name: 'x', district: 'y', reason: 'twice' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'admin_centre_exists');

    const li = citizen('li-na');
    const added = await post('/staff/members', { id_number: li.idNumber, name: li.name, centre: 'pudong-3', role: 'counter_staff', display_name: '3 号窗口 李', reason: 'hired' });
    assert.equal(added.status, 201, added.text);
    const staffId = added.body.staff_id as string;
    assert.equal((await stack.ctx.staff.get(staffId))?.active, true);
    const list = await request(stack.issuer).get('/admin/api/staff').set('Authorization', `Bearer ${token}`);
    assert.ok(list.body.staff.some((s: { person_id: string }) => s.person_id === staffId));
    assert.equal(list.text.includes(li.idNumber), false);

    const off = await post(`/staff/members/${staffId}/deactivate`, { reason: 'left the job' });
    assert.equal(off.status, 200, off.text);
    assert.equal((await stack.ctx.staff.get(staffId))?.active, false, 'the counter console checks this on every request');

    const rows = (await stack.ctx.db.query<{ data: Record<string, unknown> }>("SELECT data FROM audit_log WHERE type = 'staff.changed' ORDER BY seq")).rows.map((r) => r.data);
    assert.deepEqual(rows.map((r) => r.change), ['centre_added', 'staff_added', 'staff_deactivated']);
    assert.deepEqual(rows.map((r) => r.reason), ['new centre opens', 'hired', 'left the job']);
    assert.deepEqual(rows[2]!.before, { active: true });
    assert.deepEqual(rows[2]!.after, { active: false });
    assert.ok(rows.every((r) => String(r.actorId).startsWith('client:') && (r.roles as string[])[0] === 'staff_admin'));
  });

  it('refuses bad input and other roles', async () => {
    const li = citizen('li-na');
    const cases: Array<[string, object, number, string]> = [
      ['/staff/centres', { id: 'BAD ID', name: 'x', district: 'y', reason: 'bad' }, 400, 'invalid_input'],
      ['/staff/centres', { id: 'ok-id', name: 'x', district: 'y' }, 400, 'admin_reason_required'],
      ['/staff/members', { id_number: '110101199003074515', name: 'x', centre: 'pudong-3', role: 'counter_staff', display_name: 'x', reason: 'typo' }, 400, 'id_number_checksum'],
      ['/staff/members', { id_number: li.idNumber, name: 'x', centre: 'nowhere', role: 'counter_staff', display_name: 'x', reason: 'no centre' }, 404, 'admin_centre_not_found'],
      ['/staff/members', { id_number: li.idNumber, name: 'x', centre: 'pudong-3', role: 'boss', display_name: 'x', reason: 'bad role' }, 400, 'invalid_input'],
      ['/staff/members/not-a-uuid/deactivate', { reason: 'x1' }, 404, 'admin_staff_not_found'],
      ['/staff/members/6f1c1f3e-58d4-4a8e-9a55-1b0a4c1f2e3d/deactivate', { reason: 'x1' }, 404, 'admin_staff_not_found'],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await post(path, body);
      assert.equal(res.status, status, `${path} ${res.text}`);
      assert.equal(res.body.error, code);
    }
    const helpdesk = (await adminToken(stack, ['helpdesk'])).token;
    assert.equal((await post('/staff/centres', { id: 'other', name: 'x', district: 'y', reason: 'not mine' }, helpdesk)).status, 403);
  });

  it('works from the console page without script', async () => {
    await createAdmin(stack, 'zhang-wei', ['staff_admin']);
    const c = await adminConsole(stack, 'zhang-wei');
    const res = await c.form('/admin/staff/centres', { id: 'xuhui-1', name: '徐汇第一服务中心', district: '徐汇区', reason: 'page' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/admin/staff?done=1');
    const page = await c.open(res.headers.location as string);
    assert.match(page.text, /徐汇第一服务中心/);
    assert.match(page.text, /已保存|Saved/);
  });
});
