// test-pass: embedded — the method over an in-process store it makes itself
/** The method on its own, over the in-process store: levels, amr, single use, binding, limits. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createMemoryStore } from '../../../src/store/memory-store.ts';
import { challengeState, sharedState } from '../../../src/interaction/method-context.ts';
import type { ApiCaller, MethodContext, VerifyResult } from '../../../providers/kit/index.ts';
import { method } from '../../../providers/app-scan/index.ts';
import { say } from '../../../src/i18n/words.ts';

function setup(settings: Record<string, unknown> = {}, production = false) {
  const store = createMemoryStore();
  const m = method.create(method.configSchema.parse(settings), {
    authoritiesUrl: 'http://sandbox.test',
    issuer: 'https://id.example.gov.cn',
    timeoutMs: 1000,
    production,
  });
  const shared = sharedState(store, 'app-scan');
  const ctx = (uid: string) =>
    ({ interactionId: uid, shared, state: challengeState(store, `ch:${uid}:app-scan:login`), lang: 'en', sourceIp: '203.0.113.9' }) as unknown as MethodContext;
  const call = (name: 'approve' | 'reject', caller: ApiCaller, body: unknown) => m.api![name]!.handle({ shared, sourceIp: '198.51.100.7' }, caller, body);
  const open = async (uid: string) => {
    const ch = await m.flows.login.start(ctx(uid));
    assert.equal(ch.kind, 'qr');
    return new URL(ch.kind === 'qr' ? ch.payload : '').searchParams.get('t')!;
  };
  const poll = (uid: string) => m.flows.login.verify(ctx(uid), { step: 'poll' });
  return { m, ctx, call, open, poll, shared };
}

const app = (acr: string | undefined, amr: string[] = ['pwd']): ApiCaller => ({ accountId: 'person-1', clientId: 'city-app', acr, amr });
const verified = (r: VerifyResult) => {
  assert.equal(r.status, 'verified', JSON.stringify(r));
  return r as Extract<VerifyResult, { status: 'verified' }>;
};

describe('app-scan method', () => {
  it('signs in at min(app session level, method level)', async () => {
    for (const [settings, acr, want] of [
      [{}, 1, 1],
      [{}, 2, 2],
      [{}, 3, 2],
      [{ level: 1 }, 3, 1],
    ] as const) {
      const t = setup(settings);
      const token = await t.open('uid-1');
      assert.equal((await t.call('approve', app(`urn:tongban:loa:${acr}`), { token })).status, 200);
      const r = verified(await t.poll('uid-1'));
      assert.equal(r.level, want, `app ${acr}, settings ${JSON.stringify(settings)}`);
      assert.deepEqual(r.claim, { kind: 'person', personId: 'person-1' });
    }
  });

  it('carries the app session amr, without values that are not RFC 8176 shaped', async () => {
    const t = setup();
    const token = await t.open('uid-1');
    await t.call('approve', app('urn:tongban:loa:2', ['pwd', 'sms', 'mfa', '<b>', 'pwd']), { token });
    assert.deepEqual(verified(await t.poll('uid-1')).amr, ['pwd', 'sms', 'mfa']);
  });

  it('refuses an app session whose level is unknown, and leaves the QR usable', async () => {
    const t = setup();
    const token = await t.open('uid-1');
    const r = await t.call('approve', app(undefined), { token });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'app_scan_session_unknown');
    assert.equal((await t.poll('uid-1')).status, 'pending');
  });

  it('refuses other clients before reading the body', async () => {
    const t = setup();
    const r = await t.call('approve', { ...app('urn:tongban:loa:2'), clientId: 'permits' }, 'not even an object');
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'app_scan_wrong_client');
  });

  it('gives an approval to exactly one of two concurrent polls', async () => {
    const t = setup();
    const token = await t.open('uid-1');
    await t.call('approve', app('urn:tongban:loa:2'), { token });
    const results = await Promise.all([t.poll('uid-1'), t.poll('uid-1')]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['failed', 'verified']);
  });

  it('never lets another interaction pick up an approval', async () => {
    const t = setup();
    const token = await t.open('uid-a');
    await t.open('uid-b');
    await t.ctx('uid-b').state.put({ token }, 60); // as if b's state pointed at a's QR
    await t.call('approve', app('urn:tongban:loa:2'), { token });
    const r = await t.poll('uid-b');
    assert.equal(r.status, 'failed');
    assert.equal(r.status === 'failed' && r.reason, 'challenge_expired');
    assert.equal(verified(await t.poll('uid-a')).status, 'verified', 'the owner still gets it');
  });

  it('expires a QR polled more often than its lifetime allows', async () => {
    const t = setup();
    await t.open('uid-1');
    let last: VerifyResult | undefined;
    for (let i = 0; i < 131; i++) last = await t.poll('uid-1');
    assert.equal(last?.status === 'failed' && last.reason, 'challenge_expired');
  });

  it('issues a fresh 32-byte token once the old one is gone', async () => {
    const t = setup();
    const first = await t.open('uid-1');
    assert.equal(Buffer.from(first, 'base64url').length, 32);
    assert.equal(await t.open('uid-1'), first, 'a reload keeps it');
    await t.shared.consume(`qr:${first}`, z.unknown());
    const r = await t.poll('uid-1');
    assert.equal(r.status === 'failed' && r.reason, 'challenge_expired');
    assert.notEqual(await t.open('uid-1'), first);
  });

  it('shows the payload for the simulator outside production only', async () => {
    const d = setup();
    const p = setup({}, true);
    const dev = await d.m.flows.login.start(d.ctx('uid-1'));
    const prod = await p.m.flows.login.start(p.ctx('uid-1'));
    assert.ok(dev.kind === 'qr' && dev.note && say('en', dev.note).includes(dev.payload));
    assert.ok(prod.kind === 'qr' && prod.note && !say('en', prod.note).includes('tongban://') && prod.payload.startsWith('tongban://scan?t='));
    assert.equal(new URL(prod.kind === 'qr' ? prod.payload : '').searchParams.get('iss'), 'https://id.example.gov.cn');
  });

  it('accepts only levels 1 and 2 in its settings', () => {
    assert.equal(method.configSchema.safeParse({ level: 3 }).success, false);
    assert.equal(method.configSchema.safeParse({ qr: { ttlSeconds: 5 } }).success, false);
  });
});
