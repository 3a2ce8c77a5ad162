// test-pass: embedded — the connector against the sandbox, no store
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPopulationRegistry } from '../../src/authorities/population-registry.ts';
import { createAuthorities } from '../../src/authorities/index.ts';
import { AuthorityUnavailable } from '../../src/errors.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { startSandbox, type RunningSandbox } from '../../providers/sandboxes.ts';

let sandbox: RunningSandbox;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await post('/control/reset', {});
});

async function post(path: string, body: unknown): Promise<Response> {
  const res = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
  return res;
}

function failNext(mode: string, count: number): Promise<Response> {
  return post('/control/fail', { authority: 'registry', mode, count });
}

function registry(overrides: { appKey?: string; timeoutMs?: number } = {}) {
  return createPopulationRegistry({
    baseUrl: `${sandbox.url}/registry`,
    appKey: overrides.appKey ?? 'sandbox-registry-key',
    appId: 'tongban-test',
    timeoutMs: overrides.timeoutMs ?? 2000,
  });
}

async function rejectsWith(p: Promise<unknown>, kind: AuthorityUnavailable['kind']): Promise<AuthorityUnavailable> {
  let caught: unknown;
  await p.catch((e: unknown) => {
    caught = e;
  });
  assert.ok(caught instanceof AuthorityUnavailable, `expected AuthorityUnavailable, got ${String(caught)}`);
  assert.equal(caught.kind, kind);
  assert.equal(caught.authority, 'population-registry');
  return caught;
}

describe('population registry connector', () => {
  it('reports a match for a citizen\'s own name', async () => {
    const c = citizen('zhang-wei');
    const r = await registry().checkNameAndId(c.idNumber, c.name);
    assert.equal(r.result, 'match');
    assert.match(r.requestId, /^[0-9a-f-]{36}$/);
  });

  it('matches a number with an X check digit', async () => {
    const c = citizen('li-na');
    assert.ok(c.idNumber.endsWith('X'));
    assert.equal((await registry().checkNameAndId(c.idNumber, c.name)).result, 'match');
  });

  it('reports a mismatch for another name', async () => {
    const r = await registry().checkNameAndId(citizen('zhang-wei').idNumber, citizen('wang-fang').name);
    assert.equal(r.result, 'mismatch');
  });

  it('reports not_found for a valid number nobody holds', async () => {
    const r = await registry().checkNameAndId('11010519491231002X', '张三');
    assert.equal(r.result, 'not_found');
  });

  it('treats a wrong app key as an http failure', async () => {
    const c = citizen('zhang-wei');
    await rejectsWith(registry({ appKey: 'wrong' }).checkNameAndId(c.idNumber, c.name), 'http');
  });

  it('never puts the ID number or name into the error message', async () => {
    const c = citizen('zhang-wei');
    const err = await rejectsWith(registry({ appKey: 'wrong' }).checkNameAndId(c.idNumber, c.name), 'http');
    assert.ok(!err.message.includes(c.idNumber));
    assert.ok(!err.message.includes(c.name));
  });

  it('times out when the registry does not answer (both attempts)', async () => {
    await failNext('timeout', 2);
    const c = citizen('zhang-wei');
    const started = Date.now();
    await rejectsWith(registry({ timeoutMs: 300 }).checkNameAndId(c.idNumber, c.name), 'timeout');
    assert.ok(Date.now() - started < 2000, 'gave up promptly');
  });

  it('recovers from one timeout by retrying', async () => {
    await failNext('timeout', 1);
    const c = citizen('zhang-wei');
    assert.equal((await registry({ timeoutMs: 300 }).checkNameAndId(c.idNumber, c.name)).result, 'match');
  });

  it('fails with kind http when the registry answers 5xx twice', async () => {
    await failNext('error', 2);
    const c = citizen('zhang-wei');
    await rejectsWith(registry().checkNameAndId(c.idNumber, c.name), 'http');
  });

  it('retries once on a 5xx and then succeeds', async () => {
    await failNext('error', 1);
    const c = citizen('zhang-wei');
    assert.equal((await registry().checkNameAndId(c.idNumber, c.name)).result, 'match');
    const pending = await (await fetch(`${sandbox.url}/control/fail`)).json();
    assert.deepEqual(pending, {}, 'the one failure was used up by the first attempt');
  });

  it('fails with kind malformed on an answer of the wrong shape, without retrying', async () => {
    await failNext('malformed', 2);
    const c = citizen('zhang-wei');
    await rejectsWith(registry().checkNameAndId(c.idNumber, c.name), 'malformed');
    const pending = (await (await fetch(`${sandbox.url}/control/fail`)).json()) as Record<string, { count: number }>;
    assert.equal(pending.registry?.count, 1, 'only one call was made');
  });

  it('fails with kind network when nothing listens', async () => {
    const dead = createPopulationRegistry({ baseUrl: 'http://127.0.0.1:1/registry', appKey: 'k', appId: 'a', timeoutMs: 500 });
    await rejectsWith(dead.checkNameAndId(citizen('zhang-wei').idNumber, '张伟'), 'network');
  });

  it('is wired by createAuthorities against the sandbox', async () => {
    const authorities = createAuthorities({ sandboxUrl: sandbox.url });
    const c = citizen('sun-guilan');
    assert.equal((await authorities.registry.checkNameAndId(c.idNumber, c.name)).result, 'match');
  });
});
