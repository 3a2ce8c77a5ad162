// test-pass: embedded — the connector against the sandbox, no store
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSmsGateway } from '../../src/authorities/sms-gateway.ts';
import { AuthorityUnavailable } from '../../src/errors.ts';
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
  assert.equal((await fetch(`${sandbox.url}/sms/outbox`, { method: 'DELETE' })).status, 200);
});

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
}

function gateway(timeoutMs = 2000) {
  return createSmsGateway({ baseUrl: `${sandbox.url}/sms`, account: 'tongban-test', timeoutMs });
}

type OutboxEntry = { messageId: string; phone: string; text: string; sentAt: string };

async function outbox(phone?: string): Promise<OutboxEntry[]> {
  const q = phone ? `?phone=${encodeURIComponent(phone)}` : '';
  return (await (await fetch(`${sandbox.url}/sms/outbox.json${q}`)).json()) as OutboxEntry[];
}

async function rejectsWith(p: Promise<unknown>, kind: AuthorityUnavailable['kind']): Promise<void> {
  let caught: unknown;
  await p.catch((e: unknown) => {
    caught = e;
  });
  assert.ok(caught instanceof AuthorityUnavailable, `expected AuthorityUnavailable, got ${String(caught)}`);
  assert.equal(caught.kind, kind);
  assert.equal(caught.authority, 'sms-gateway');
}

describe('SMS gateway connector', () => {
  it('sends a message that appears in the outbox, newest first', async () => {
    const first = await gateway().send('13912345678', '【通办】验证码 111111');
    const second = await gateway().send('13912345678', '【通办】验证码 222222');
    await gateway().send('13800138000', '【通办】验证码 333333');
    const mine = await outbox('13912345678');
    assert.deepEqual(
      mine.map((m) => [m.messageId, m.text]),
      [
        [second.messageId, '【通办】验证码 222222'],
        [first.messageId, '【通办】验证码 111111'],
      ],
    );
    assert.equal((await outbox()).length, 3);
  });

  it('shows messages on the HTML outbox page with the text escaped', async () => {
    await gateway().send('13912345678', '<script>alert("x")</script> & 验证码 123456');
    const res = await fetch(`${sandbox.url}/sms/outbox`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /<meta http-equiv="refresh" content="5">/);
    assert.ok(html.includes('13912345678'));
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 验证码 123456'));
    assert.ok(!html.includes('<script>'));
  });

  it('does not retry a failed send, and the next send succeeds', async () => {
    await post('/control/fail', { authority: 'sms', mode: 'error', count: 1 });
    await rejectsWith(gateway().send('13912345678', 'first'), 'http');
    assert.equal((await outbox()).length, 0, 'no retry delivered it');
    await gateway().send('13912345678', 'second');
    assert.deepEqual((await outbox()).map((m) => m.text), ['second']);
  });

  it('times out when the gateway holds the request', async () => {
    await post('/control/fail', { authority: 'sms', mode: 'timeout', count: 1 });
    const started = Date.now();
    await rejectsWith(gateway(300).send('13912345678', 'held'), 'timeout');
    assert.ok(Date.now() - started < 1500);
  });

  it('fails with kind malformed on an answer of the wrong shape', async () => {
    await post('/control/fail', { authority: 'sms', mode: 'malformed', count: 1 });
    await rejectsWith(gateway().send('13912345678', 'x'), 'malformed');
  });

  it('treats a refused request (bad phone number) as an http failure', async () => {
    await rejectsWith(gateway().send('12345', 'x'), 'http');
  });

  it('keeps the outbox readable while the gateway is failing', async () => {
    await post('/control/fail', { authority: 'sms', mode: 'error', count: 5 });
    assert.equal((await fetch(`${sandbox.url}/sms/outbox.json`)).status, 200);
    assert.equal((await fetch(`${sandbox.url}/sms/outbox`)).status, 200);
  });
});
