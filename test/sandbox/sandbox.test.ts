// test-pass: embedded — the sandbox on its own, no store
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { parseIdNumber } from '../../src/crypto/id-number.ts';
import { CITIZENS, citizen, findCitizenById, findCitizenByPhone } from '../../src/sandbox/citizens.ts';
import { startSandbox, type RunningSandbox } from '../../providers/sandboxes.ts';

let sb: RunningSandbox;

before(async () => {
  sb = await startSandbox({ port: 0 });
});
after(async () => {
  await sb.close();
});

function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sb.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('synthetic citizens', () => {
  it('have valid ID numbers whose birth date and gender agree with the record', () => {
    assert.ok(CITIZENS.length >= 12);
    for (const c of CITIZENS) {
      const r = parseIdNumber(c.idNumber);
      assert.ok(r.ok, c.key);
      assert.equal(r.value.birthdate, c.birthdate, c.key);
      assert.equal(r.value.gender, c.gender, c.key);
      assert.equal(r.value.regionCode, c.regionCode, c.key);
      if (c.phone !== null) assert.match(c.phone, /^1[3-9]\d{9}$/, c.key);
    }
    assert.equal(new Set(CITIZENS.map((c) => c.idNumber)).size, CITIZENS.length, 'unique numbers');
  });

  it('include an X check digit and an elderly citizen without a phone', () => {
    assert.ok(CITIZENS.some((c) => c.idNumber.endsWith('X')));
    const elderly = citizen('sun-guilan');
    assert.equal(elderly.phone, null);
    assert.ok(elderly.birthdate < '1950-01-01');
  });

  it('can be found by ID number (lower-case x too) and by phone', () => {
    const c = citizen('li-na');
    assert.equal(findCitizenById(c.idNumber.toLowerCase()), c);
    assert.equal(findCitizenByPhone(c.phone!), c);
    assert.equal(findCitizenById('11010519491231002X'), undefined);
    assert.throws(() => citizen('nobody'));
  });
});

describe('sandbox server', () => {
  it('serves an index page in zh-CN and en linking the outbox and listing citizens', async () => {
    const res = await fetch(sb.url + '/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<html lang="zh-CN">/);
    assert.ok(html.includes('href="/sms/outbox"'));
    assert.ok(html.includes('短信发件箱') && html.includes('SMS outbox'));
    for (const c of CITIZENS) assert.ok(html.includes(c.idNumber) && html.includes(c.name), c.key);
  });

  it('lists the citizens as JSON', async () => {
    const res = await fetch(sb.url + '/control/citizens');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(CITIZENS)));
  });

  it('answers unknown routes with 404 JSON', async () => {
    for (const path of ['/nope', '/registry/v9/verify', '/sms/unknown']) {
      const res = await fetch(sb.url + path);
      assert.equal(res.status, 404, path);
      assert.equal((await res.json() as { error: string }).error, 'not_found');
    }
  });

  it('refuses JSON bodies over 16 kb with 413 JSON', async () => {
    const res = await postJson('/sms/v1/send', { account: 'a', phone: '13912345678', text: 'x'.repeat(17 * 1024) });
    assert.equal(res.status, 413);
    assert.equal((await res.json() as { error: string }).error, 'payload_too_large');
  });

  it('answers broken JSON with 400 JSON', async () => {
    const res = await postJson('/sms/v1/send', '{"account":');
    assert.equal(res.status, 400);
    assert.equal((await res.json() as { error: string }).error, 'malformed_body');
  });

  it('speaks the registry protocol: key check, field check, result codes', async () => {
    const c = citizen('wang-fang');
    const body = { appId: 'app', requestId: 'req-1', idNumber: c.idNumber, name: c.name };
    const noKey = await postJson('/registry/v1/verify', body);
    assert.equal(noKey.status, 401);
    assert.equal((await noKey.json() as { code: string }).code, '4010');

    const key = { 'x-app-key': 'sandbox-registry-key' };
    const missing = await postJson('/registry/v1/verify', { appId: 'app', idNumber: c.idNumber }, key);
    assert.equal(missing.status, 400);
    assert.equal((await missing.json() as { code: string }).code, '4001');
    const badId = await postJson('/registry/v1/verify', { ...body, idNumber: '310104199007214420' }, key);
    assert.equal(badId.status, 400);

    const ok = await postJson('/registry/v1/verify', body, key);
    assert.equal(ok.status, 200);
    const answer = (await ok.json()) as Record<string, string>;
    assert.equal(answer.code, '0000');
    assert.equal(answer.result, 'consistent');
    assert.equal(answer.requestId, 'req-1');
    assert.ok(!Number.isNaN(Date.parse(answer.checkedAt!)));
  });

  it('refuses failure settings for unknown authorities or modes', async () => {
    assert.equal((await postJson('/control/fail', { authority: 'nobody', mode: 'error', count: 1 })).status, 400);
    assert.equal((await postJson('/control/fail', { authority: 'sms', mode: 'explode', count: 1 })).status, 400);
  });

  it('clears every pending failure on reset', async () => {
    assert.equal((await postJson('/control/fail', { authority: 'sms', mode: 'error', count: 3 })).status, 200);
    assert.equal((await postJson('/control/fail', { authority: 'registry', mode: 'malformed', count: 3 })).status, 200);
    assert.deepEqual(Object.keys(await (await fetch(sb.url + '/control/fail')).json() as object).sort(), ['registry', 'sms']);
    assert.equal((await postJson('/control/reset', {})).status, 200);
    assert.deepEqual(await (await fetch(sb.url + '/control/fail')).json(), {});
    const res = await postJson('/sms/v1/send', { account: 'a', phone: '13912345678', text: 'after reset' });
    assert.equal(res.status, 200);
  });

  it('lets authorities mounted later use failure control, passing bad_signature through to them', async () => {
    const router = express.Router();
    router.get('/v1/assertion', (_req, res) => {
      res.json({ signature: sb.sandbox.control.take('test-eid') === 'bad_signature' ? 'forged' : 'good' });
    });
    sb.sandbox.mount('test-eid', router);
    const get = () => fetch(sb.url + '/test-eid/v1/assertion');

    assert.equal((await postJson('/control/fail', { authority: 'test-eid', mode: 'bad_signature', count: 1 })).status, 200);
    assert.deepEqual(await (await get()).json(), { signature: 'forged' });
    assert.deepEqual(await (await get()).json(), { signature: 'good' });

    assert.equal((await postJson('/control/fail', { authority: 'test-eid', mode: 'error', count: 1 })).status, 200);
    assert.equal((await get()).status, 503);
    assert.equal((await get()).status, 200);
    assert.throws(() => sb.sandbox.mount('test-eid', router), /already mounted/);
  });

  it('releases held timeout requests when it closes', async () => {
    const other = await startSandbox({ port: 0 });
    assert.equal(
      (await fetch(other.url + '/control/fail', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authority: 'sms', mode: 'timeout', count: 1 }),
      })).status,
      200,
    );
    const pending = fetch(other.url + '/sms/v1/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'a', phone: '13912345678', text: 'held' }),
    }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 1000, 'close did not wait for the held request');
    assert.equal(await pending, 'dropped');
  });
});
