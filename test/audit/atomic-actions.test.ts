/**
 * No effect without its audit record: when PostgreSQL refuses an action's audit event, the
 * action's rows roll back, nothing happens outside the database, and staff get a clear 503.
 * Events committed but not yet chained (a crash in between) are seen, reported and chained.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../support/stack.ts';
import { startInstances, sharedBackends } from '../support/instances.ts';
import { runTongban, assertExit } from '../support/cli.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { act, seedCentres, staffConsole, verifyFields, watchStoreWrites } from '../counter/support.ts';
import { refuseAuditEvents } from './refuse-events.ts';

const NOT_RECORDED = /此操作未能写入审计记录，因此没有执行/;

describe('counter actions and their audit records', () => {
  let stack: Stack;
  let refusal: Awaited<ReturnType<typeof refuseAuditEvents>>;
  let written: string[] = [];
  let deleted: string[] = [];
  const count = async (sql: string, params: unknown[] = []) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`, params)).rows[0]!.n);
  const events = (type: string) => count('audit_log WHERE type = $1', [type]);

  before(async () => {
    stack = await startStack();
    await seedCentres(stack);
    refusal = await refuseAuditEvents(stack.ctx.db);
    ({ written, deleted } = watchStoreWrites(stack));
  });
  after(async () => {
    await stack?.close();
  });

  it('creates no person and opens no visit when the verification cannot be recorded', async () => {
    await refusal.refuse('counter.verified_in_person');
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const res = await act(browser, page, /\/counter\/verify/, verifyFields('zhou-xiuying'));
    assert.equal(res.status, 503);
    assert.match(res.text, NOT_RECORDED);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhou-xiuying').idNumber), null, 'the new person rolled back');
    assert.match((await browser.open('/counter')).text, /尚未核验群众身份/, 'no visit opened');
    assert.equal(await events('counter.verified_in_person'), 0);
    assert.equal(await count('audit_outbox'), 0);

    await refusal.allowAll();
    const ok = await act(browser, await browser.open('/counter'), /\/counter\/verify/, verifyFields('zhou-xiuying'));
    assert.equal(ok.status, 200);
    assert.notEqual(await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhou-xiuying').idNumber), null);
    assert.equal(await events('counter.verified_in_person'), 1);
  });

  it('issues no counter code, lifts no lock and stores no request when their records are refused', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('wu-haoran'));
    assert.equal(visit.status, 200);
    written.length = 0;
    deleted.length = 0;
    const requests = await count('counter_requests');

    await refusal.refuse('counter.code_issued');
    await refusal.refuse('counter.lockout_lifted');
    await refusal.refuse('counter.request_created');
    const code = await act(browser, visit, /\/counter\/code/, { reason: '无手机，需登录社保' });
    assert.equal(code.status, 503);
    assert.match(code.text, NOT_RECORDED);
    assert.doesNotMatch(code.text, /id="counter-code"/);
    const lift = await act(browser, await browser.open('/counter'), /\/counter\/lockout/, { reason: '本人多次输错密码' });
    assert.equal(lift.status, 503);
    const request = await act(browser, await browser.open('/counter'), /\/counter\/requests/, { kind: 'reset_password', reason: '本人忘记密码' });
    assert.equal(request.status, 503);
    assert.deepEqual(written.filter((k) => k.startsWith('m:counter-code:')), [], 'no code stored');
    assert.deepEqual(deleted.filter((k) => k.startsWith('rl:')), [], 'no limit lifted');
    assert.equal(await count('counter_requests'), requests, 'no request stored');
    for (const type of ['counter.code_issued', 'counter.lockout_lifted', 'counter.request_created']) assert.equal(await events(type), 0, type);

    await refusal.allowAll();
    const slip = await act(browser, await browser.open('/counter'), /\/counter\/code/, { reason: '无手机，需登录社保' });
    assert.match(slip.text, /id="counter-code"/);
    assert.equal(written.filter((k) => k.startsWith('m:counter-code:')).length, 1);
    assert.equal(await events('counter.code_issued'), 1);
  });

  it('leaves a recovery request pending and the phone unchanged when its approval cannot be recorded', async () => {
    const newPhone = '13612345678';
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('xu-li'));
    const asked = await act(browser, visit, /\/counter\/requests/, { kind: 'rebind_phone', new_phone: newPhone, reason: '原手机号已停用' });
    assert.equal(asked.status, 200);
    const personId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen('xu-li').idNumber))!;
    const phoneBefore = (await stack.ctx.identity.getPerson(personId))!.phone;

    const supervisor = await staffConsole(stack, 'huang-qiang');
    await refusal.refuse('counter.request_approved');
    const refused = await act(supervisor.browser, supervisor.page, /\/counter\/requests\/[^/]+\/approve/, {});
    assert.equal(refused.status, 503);
    assert.match(refused.text, NOT_RECORDED);
    assert.equal(await count("counter_requests WHERE subject_person = $1 AND status = 'pending'", [personId]), 1, 'still pending');
    assert.equal(await stack.ctx.identity.findCredential('sms-otp', newPhone), null, 'the new number is not bound');
    assert.equal((await stack.ctx.identity.getPerson(personId))!.phone, phoneBefore, 'the phone on record is unchanged');

    await refusal.allowAll();
    const approved = await act(supervisor.browser, await supervisor.browser.open('/counter'), /\/counter\/requests\/[^/]+\/approve/, {});
    assert.equal(approved.status, 200);
    assert.equal((await stack.ctx.identity.findCredential('sms-otp', newPhone))?.personId, personId);
    assert.equal((await stack.ctx.identity.getPerson(personId))!.phone, newPhone);
    assert.equal(await events('counter.request_approved'), 1);
  });

  it('shows events committed but not yet chained, and chains them once', async () => {
    const subject = (await stack.ctx.identity.getPerson((await stack.ctx.identity.findPersonIdByIdNumber(citizen('wu-haoran').idNumber))!))!.idNumberIndex;
    // what a process leaves behind when it dies between committing an action and chaining its event
    await stack.ctx.db.query(
      `INSERT INTO audit_outbox (at, type, subject_index, source, data)
       VALUES (now() - interval '1 minute', 'counter.lockout_lifted', $1, '192.0.2.7', $2::jsonb)`,
      [subject, JSON.stringify({ staffId: 's', centreId: 'huangpu-1', reason: '崩溃前已提交' })],
    );
    const listed = await stack.ctx.audit.listForSubject(subject, 10);
    assert.equal(listed[0]!.type, 'counter.lockout_lifted');
    assert.equal(listed[0]!.seq, '', 'listed first, not chained yet');
    assert.equal(listed[0]!.data.reason, '崩溃前已提交');

    const sweeps = await Promise.all([stack.ctx.audit.sweep(), stack.ctx.audit.sweep()]);
    assert.ok(sweeps.every((n) => n <= 1));
    assert.equal(await count('audit_outbox'), 0);
    assert.equal(await count("audit_log WHERE data->>'reason' = '崩溃前已提交'"), 1, 'chained exactly once');
    const chain = await stack.ctx.audit.verifyChain();
    assert.equal(chain.ok, true);
    assert.equal(chain.checked, await count('audit_log'));
    assert.notEqual((await stack.ctx.audit.listForSubject(subject, 10))[0]!.seq, '');
  });
});

describe('audit verify and the outbox', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tongban-outbox-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reports events committed but not yet chained', async () => {
    assertExit(await runTongban(tmp, ['audit', 'verify']), 0);
    const db = await createPgliteDatabase({ dataDir: join(tmp, 'data') });
    try {
      await db.query(`INSERT INTO audit_outbox (at, type, data) VALUES (now(), 'keys.rotated', '{"activated":[],"published":[]}'::jsonb)`);
    } finally {
      await db.close();
    }
    const run = await runTongban(tmp, ['audit', 'verify']);
    assertExit(run, 0);
    assert.match(run.stdout, /1 event\(s\) committed but not yet chained/);
  });
});

describe('two instances appending at once', () => {
  it('keep one valid chain, each event in it once', { skip: sharedBackends }, async () => {
    const inst = await startInstances(2);
    try {
      const [a, b] = inst.stacks.map((s) => s.ctx);
      const writes: Array<Promise<unknown>> = [];
      for (let i = 0; i < 25; i++) {
        for (const [n, ctx] of [a!, b!].entries()) {
          // an action with rows of its own, and a plain event, on each instance at once
          writes.push(
            ctx.audit.transaction(async (tx) => {
              await tx.query('INSERT INTO service_centres (id, name, district) VALUES ($1, $2, $3)', [`c${n}-${i}`, '测试中心', '测试区']);
              await tx.audit({ type: 'staff.added', staffId: `s${n}-${i}`, centreId: `c${n}-${i}`, role: 'counter_staff' });
            }),
          );
          writes.push(ctx.audit.record({ type: 'staff.deactivated', staffId: `s${n}-${i}`, centreId: `c${n}-${i}` }));
        }
      }
      writes.push(a!.audit.sweep(), b!.audit.sweep());
      await Promise.all(writes);
      const chain = await a!.audit.verifyChain();
      assert.equal(chain.ok, true);
      const { rows } = await a!.db.query<{ type: string; n: string }>(
        "SELECT type, count(DISTINCT data->>'staffId')::text AS n FROM audit_log WHERE type IN ('staff.added', 'staff.deactivated') GROUP BY type ORDER BY type",
      );
      assert.deepEqual(rows, [
        { type: 'staff.added', n: '50' },
        { type: 'staff.deactivated', n: '50' },
      ]);
      assert.equal(Number((await a!.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE type LIKE 'staff.%'")).rows[0]!.n), 100, 'none twice');
      assert.equal((await a!.db.query('SELECT 1 FROM audit_outbox')).rowCount, 0);
    } finally {
      await inst.close();
    }
  });
});
