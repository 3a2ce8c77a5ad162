/** What counter staff type is checked before anything happens: bad reasons change nothing and leave no record. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { act, seedCentres, staffConsole, verifyFields, watchStoreWrites } from './support.ts';

const ID = citizen('li-na').idNumber;
const BAD_REASONS: ReadonlyArray<{ what: string; reason: string; message: RegExp }> = [
  { what: 'an ID number', reason: `客户身份证${ID}办理`, message: /办理事由中不能填写身份证号、手机号、卡号等个人号码/ },
  { what: 'an ID number with spaces', reason: `证件 ${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, message: /不能填写身份证号/ },
  { what: 'a mobile number', reason: '联系电话 139-1234-5678', message: /不能填写身份证号、手机号/ },
  { what: 'a NUL byte', reason: '忘记密码\u0000', message: /不可见的控制字符/ },
  { what: 'a right-to-left override', reason: '正常\u202e事由', message: /不可见的控制字符/ },
  { what: '2000 characters', reason: '长'.repeat(2000), message: /最多 200 个字/ },
  { what: 'only spaces', reason: '   ', message: /请填写办理事由/ },
];

describe('counter free text', () => {
  let stack: Stack;
  /** ephemeral keys the service wrote or deleted, observed on the real store */
  let written: string[] = [];
  let deleted: string[] = [];

  const auditCount = async (type: string) => {
    const { rows } = await stack.ctx.db.query<{ n: string }>(
      `SELECT ((SELECT count(*) FROM audit_log WHERE type = $1) + (SELECT count(*) FROM audit_outbox WHERE type = $1))::text AS n`,
      [type],
    );
    return Number(rows[0]!.n);
  };

  before(async () => {
    stack = await startStack();
    await seedCentres(stack);
    ({ written, deleted } = watchStoreWrites(stack));
  });
  after(async () => {
    await stack?.close();
  });

  it('refuses a bad reason for an in-person verification with 400 and its message: no person, no record, the form filled in again', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    let current = page;
    for (const bad of BAD_REASONS) {
      const res = await act(browser, current, /\/counter\/verify/, verifyFields('zhou-xiuying', { reason: bad.reason }));
      assert.equal(res.status, 400, bad.what);
      assert.match(res.text, bad.message, bad.what);
      assert.match(res.text, /value="周秀英"/, `${bad.what}: the name typed is shown again`);
      assert.doesNotMatch(res.text, /\u0000/, 'no NUL sent back');
      current = res;
    }
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhou-xiuying').idNumber), null, 'no person created');
    assert.equal(await auditCount('counter.verified_in_person'), 0, 'nothing on the record');

    const badName = await act(browser, current, /\/counter\/verify/, verifyFields('zhou-xiuying', { name: '周\u0000秀英' }));
    assert.equal(badName.status, 400);
    assert.match(badName.text, /不可见的控制字符/);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhou-xiuying').idNumber), null);

    // the same form with a plain reason goes through: the checks above are what refused it
    const ok = await act(browser, badName, /\/counter\/verify/, verifyFields('zhou-xiuying', { reason: '本人到窗口办理，核对无误' }));
    assert.equal(ok.status, 200);
    assert.notEqual(await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhou-xiuying').idNumber), null);
    assert.equal(await auditCount('counter.verified_in_person'), 1);
  });

  it('refuses a bad reason for a counter code, a lockout lift, a kiosk approval and a recovery request before any effect', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    let current = await act(browser, page, /\/counter\/verify/, verifyFields('wu-haoran'));
    assert.equal(current.status, 200);
    const requestsBefore = (await stack.ctx.db.query('SELECT 1 FROM counter_requests')).rowCount;
    written.length = 0;
    deleted.length = 0;

    for (const bad of BAD_REASONS) {
      const code = await act(browser, current, /\/counter\/code/, { reason: bad.reason });
      assert.equal(code.status, 400, `code: ${bad.what}`);
      assert.match(code.text, bad.message);
      assert.doesNotMatch(code.text, /id="counter-code"/, 'no slip');
      const lift = await act(browser, code, /\/counter\/lockout/, { reason: bad.reason });
      assert.equal(lift.status, 400, `lockout: ${bad.what}`);
      assert.match(lift.text, bad.message);
      const kiosk = await act(browser, lift, /\/counter\/kiosk/, { user_code: 'BCDF-GHJK', reason: bad.reason });
      assert.equal(kiosk.status, 400, `kiosk: ${bad.what}`);
      assert.match(kiosk.text, bad.message);
      assert.match(kiosk.text, /value="BCDF-GHJK"/, 'the kiosk code typed is shown again');
      const rebind = await act(browser, kiosk, /\/counter\/requests/, { kind: 'rebind_phone', new_phone: '13612345678', reason: bad.reason });
      assert.equal(rebind.status, 400, `request: ${bad.what}`);
      assert.match(rebind.text, bad.message);
      assert.match(rebind.text, /value="13612345678"/, 'the new number typed is shown again');
      current = rebind;
    }
    assert.deepEqual(written.filter((k) => k.startsWith('m:counter-code:')), [], 'no counter code stored');
    assert.deepEqual(deleted.filter((k) => k.startsWith('rl:')), [], 'no limit lifted');
    assert.equal((await stack.ctx.db.query('SELECT 1 FROM counter_requests')).rowCount, requestsBefore, 'no request stored');
    for (const type of ['counter.code_issued', 'counter.lockout_lifted', 'counter.kiosk_approved', 'counter.request_created']) {
      assert.equal(await auditCount(type), 0, `no ${type} on the record`);
    }

    // the same actions with a plain reason do take effect, seen by the same observers
    const slip = await act(browser, current, /\/counter\/code/, { reason: '无手机，需登录社保' });
    assert.match(slip.text, /id="counter-code"/);
    assert.equal(written.filter((k) => k.startsWith('m:counter-code:')).length, 1, 'one code stored');
    const lifted = await act(browser, slip, /\/counter\/lockout/, { reason: '本人多次输错密码' });
    assert.equal(lifted.status, 200);
    assert.ok(deleted.some((k) => k.startsWith('rl:')), 'the lift clears limits');
    assert.equal(await auditCount('counter.code_issued'), 1);
    assert.equal(await auditCount('counter.lockout_lifted'), 1);
  });

  it('takes a reason of exactly 200 characters and keeps it whole in the record', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const reason = '事'.repeat(200);
    const res = await act(browser, page, /\/counter\/verify/, verifyFields('ma-jun', { reason }));
    assert.equal(res.status, 200);
    const { rows } = await stack.ctx.db.query<{ data: { reason: string } }>(
      "SELECT data FROM audit_log WHERE type = 'counter.verified_in_person' ORDER BY seq DESC LIMIT 1",
    );
    assert.equal(rows[0]!.data.reason, reason);
  });
});
