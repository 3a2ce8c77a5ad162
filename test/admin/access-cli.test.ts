// test-pass: postgres-redis — the CLI writes beside a running service only on PostgreSQL (an embedded database is one process's)
/**
 * `tongban admins` against a running service on PostgreSQL: the first admin added by the CLI can
 * sign in at once, without a restart; once an admin_admin exists the CLI refuses (the console's
 * four eyes are the way) unless --emergency; deactivation stops a signed-in admin at once; list;
 * bad input exits 2; every change audited, no ID number printed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../support/stack.ts';
import { assertExit, runTongban } from '../support/cli.ts';
import { adminConsole } from '../support/admin.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('tongban admins beside a running service', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL (DATABASE_URL)' }, () => {
  let stack: Stack;
  let env: Record<string, string>;
  let dir: string;

  before(async () => {
    stack = await startStack();
    dir = await mkdtemp(path.join(tmpdir(), 'tongban-admins-'));
    // the CLI opens the stack's own schema with the service's keys: the same blind indexes
    const schema = (await stack.ctx.db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = { DATABASE_URL: url.toString(), KEYS_DIR: stack.ctx.config.keysDir, ISSUER: stack.issuer, DEMO: 'false' };
  });
  after(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) => runTongban(dir, ['admins', ...args], env);
  const changes = async () =>
    (
      await stack.ctx.db.query<{ subject_index: string; data: { actorId: string; reason: string; before: unknown; after: { roles: string[]; active: boolean } } }>(
        `SELECT subject_index, data FROM audit_log WHERE type = 'admins.changed'
         UNION ALL SELECT subject_index, data FROM audit_outbox WHERE type = 'admins.changed'`,
      )
    ).rows;

  it('adds the first admin, who signs in to the running service at once', async () => {
    const first = citizen('huang-qiang');
    const added = await run(['add', '--id-number', first.idNumber, '--name', first.name, '--roles', 'admin_admin,policy_admin', '--reason', 'first security admin']);
    assertExit(added, 0);
    assert.ok(!added.stdout.includes(first.idNumber) && !added.stderr.includes(first.idNumber), 'the ID number is not printed');

    const c = await adminConsole(stack, 'huang-qiang');
    const me = await c.api.get('/admin/api/me');
    assert.deepEqual(me.body.roles, ['policy_admin', 'admin_admin']);

    const rows = await changes();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.subject_index, stack.ctx.cipher.blindIndex('id_number', first.idNumber));
    assert.equal(rows[0]!.data.actorId, `cli:${userInfo().username}`);
    assert.equal(rows[0]!.data.reason, 'first security admin');
    assert.equal(rows[0]!.data.before, null);
    assert.deepEqual(rows[0]!.data.after, { roles: ['policy_admin', 'admin_admin'], active: true });
    assert.ok(!JSON.stringify(rows).includes(first.idNumber));
  });

  it('refuses later admins unless --emergency; deactivation stops a signed-in admin at once; lists', async () => {
    const second = citizen('zhou-xiuying');
    const refused = await run(['add', '--id-number', second.idNumber, '--name', second.name, '--roles', 'auditor', '--reason', 'second admin']);
    assertExit(refused, 2);
    assert.match(refused.stderr, /console/);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(second.idNumber), null, 'nothing written');

    const c = await adminConsole(stack, 'huang-qiang');
    assert.equal((await c.api.get('/admin/api/me')).status, 200);
    const off = await run(['deactivate', '--id-number', citizen('huang-qiang').idNumber, '--reason', 'left the office', '--emergency']);
    assertExit(off, 0);
    assert.equal((await c.api.get('/admin/api/me')).status, 401, 'stopped without a restart');

    const rescue = await run(['add', '--id-number', second.idNumber, '--name', second.name, '--roles', 'admin_admin', '--reason', 'no admin left']);
    assertExit(rescue, 0);
    const listed = await run(['list']);
    assertExit(listed, 0);
    assert.match(listed.stdout, /黄强 .*policy_admin,admin_admin\s+inactive/);
    assert.match(listed.stdout, /周秀英 .*admin_admin\s+active/);
    assert.ok(!listed.stdout.includes(second.idNumber));
    const reasons = (await changes()).map((r) => r.data.reason);
    assert.ok(reasons.includes('[emergency] left the office'));
  });

  it('exits 2 on bad input without writing anything', async () => {
    const before = (await changes()).length;
    const who = citizen('sun-guilan');
    for (const args of [
      ['add', '--id-number', who.idNumber, '--name', who.name, '--roles', 'superuser', '--reason', 'bad role', '--emergency'],
      ['add', '--id-number', '31010119380126042', '--name', who.name, '--roles', 'auditor', '--reason', 'bad number', '--emergency'],
      ['add', '--id-number', who.idNumber, '--roles', 'auditor', '--reason', 'no name for a new person', '--emergency'],
    ]) {
      assertExit(await run(args), 2);
    }
    assert.equal((await changes()).length, before);
  });
});
