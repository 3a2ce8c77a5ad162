/**
 * Signing keys from the admin API, four-eyes: one key admin proposes publishing a next key,
 * activating it and withdrawing the retired one; each waits for a second key admin (self-approval
 * refused), then takes effect on every instance without a restart: instance B's /jwks and the
 * kid of ID tokens it issues follow a rotation approved through instance A. Other roles refused,
 * unsafe steps (withdrawing the signing key, activating a key never published) refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { sharedBackends, startInstances, clientsKnown, type Instances } from '../support/instances.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { enrolCitizen } from '../support/login.ts';
import { adminToken } from '../support/admin.ts';
import { idTokenKid, kidsAt, signingKid, waitFor } from './ops-keys-support.ts';

const password = 'Keys2026console';

/** Two key admins (API tokens, issued by the instance at `url`, which registers them) and an approval step. */
async function keyAdmins(stack: Stack, url: string) {
  const [a, b] = [(await adminToken(stack, ['key_admin'], { via: url })).token, (await adminToken(stack, ['key_admin'], { via: url })).token];
  const call = (token: string, path: string, body: unknown) => request(url).post(`/admin/api${path}`).set('Authorization', `Bearer ${token}`).send(body as object);
  return {
    a,
    b,
    call,
    /** proposed by A, approved by B; returns the proposal's answer */
    async approved(path: string, reason: string) {
      const proposed = await call(a, path, { alg: 'ES256', reason });
      assert.equal(proposed.status, 202, proposed.text);
      const self = await call(a, `/changes/${proposed.body.request_id}/approve`, { reason: 'my own' });
      assert.equal(self.status, 403, 'nobody approves their own request');
      const ok = await call(b, `/changes/${proposed.body.request_id}/approve`, { reason: 'checked' });
      assert.equal(ok.status, 200, ok.text);
    },
  };
}

describe('signing keys from the admin API, four-eyes', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
  });

  it('publishes, activates and withdraws only after a second key admin approves; refuses unsafe steps and other roles', async () => {
    const admins = await keyAdmins(stack, stack.issuer);
    const list = async () => (await request(stack.issuer).get('/admin/api/keys').set('Authorization', `Bearer ${admins.a}`)).body.keys as Array<{ kid: string; alg: string; status: string }>;
    const old = (await list()).find((k) => k.alg === 'ES256' && k.status === 'active')!.kid;
    const before = await kidsAt(stack.issuer);

    const pending = await admins.call(admins.a, '/keys/publish', { alg: 'ES256', reason: 'quarterly rotation' });
    assert.equal(pending.status, 202);
    assert.deepEqual(await kidsAt(stack.issuer), before, 'nothing changes before approval');
    await admins.call(admins.b, `/changes/${pending.body.request_id}/approve`, { reason: 'ok' }).expect(200);
    const next = (await list()).find((k) => k.status === 'next' && !before.includes(k.kid))!.kid;
    await waitFor('the next key is published', async () => (await kidsAt(stack.issuer)).includes(next));

    const early = await admins.call(admins.a, `/keys/${old}/activate`, { reason: 'wrong key' });
    assert.equal(early.status, 409);
    assert.equal(early.body.error, 'admin_key_not_next');
    await admins.approved(`/keys/${next}/activate`, 'the next key has been published for a while');
    await waitFor('the new key signs', async () => (await signingKid(stack.issuer)) === next);
    assert.ok((await kidsAt(stack.issuer)).includes(old), 'the retired key is still published');

    const inUse = await admins.call(admins.a, `/keys/${next}/retire`, { reason: 'oops' });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.error, 'admin_key_in_use');
    await admins.approved(`/keys/${old}/retire`, 'its tokens have expired');
    await waitFor('the old key leaves the JWKS', async () => !(await kidsAt(stack.issuer)).includes(old));

    const trail = await stack.ctx.db.query<{ data: { change: string; reason: string; actorId: string } }>("SELECT data FROM audit_log WHERE type = 'keys.changed' ORDER BY seq");
    assert.deepEqual(trail.rows.map((r) => r.data.change), ['published', 'activated', 'removed']);
    assert.ok(trail.rows.every((r) => r.data.actorId.startsWith('client:')));

    const auditor = (await adminToken(stack, ['auditor'])).token;
    assert.equal((await request(stack.issuer).get('/admin/api/keys').set('Authorization', `Bearer ${auditor}`)).status, 200, 'auditors may look');
    const refused = await admins.call(auditor, '/keys/publish', { alg: 'ES256', reason: 'not mine' });
    assert.equal(refused.status, 403);
    const badAlg = await admins.call(admins.a, '/keys/publish', { alg: 'HS256', reason: 'weak' });
    assert.equal(badAlg.status, 400);
    const noReason = await admins.call(admins.a, '/keys/publish', { alg: 'ES256' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error, 'admin_reason_required');
  });
});

describe('signing keys: a rotation approved through instance A is followed by instance B', { skip: sharedBackends }, () => {
  let multi: Instances;
  let dept: TestClient;
  let idNumber: string;
  before(async () => {
    multi = await startInstances(2);
    dept = await addClient(multi.stacks[0]!, 'dept-keys-api');
    await clientsKnown(multi.stacks, [dept.clientId]);
    idNumber = (await enrolCitizen(multi.stacks[0]!, 'chen-jing', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await multi?.close();
  });

  it('B publishes and then signs with the new key, without a restart', async () => {
    const a = multi.direct(0);
    const b = multi.direct(1);
    const admins = await keyAdmins(multi.stacks[0]!, a);
    await admins.approved('/keys/publish', 'rotation');
    const next = (await multi.stacks[0]!.ctx.signingKeys.list()).find((k) => k.status === 'next' && k.alg === 'ES256')!.kid;
    const seen = await waitFor('B publishes the next key', async () => (await kidsAt(b)).includes(next));
    await admins.approved(`/keys/${next}/activate`, 'rotation');
    const signs = await waitFor('B signs with it', async () => (await signingKid(b)) === next);
    for (let i = 0; i < 2; i++) assert.equal(await idTokenKid(multi.issuer, b, dept, idNumber, password), next, 'ID tokens from either instance');
    console.log(`# instance B: next key published ${seen} ms, signing ${signs} ms after the approval answered`);
  });
});
