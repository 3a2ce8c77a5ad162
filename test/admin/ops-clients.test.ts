/**
 * Department apps from the admin API: register (the secret returned once and working at the
 * token endpoint), the same validation as the client files, edit, rotate the secret (the old one
 * refused at once), disable and enable (the token endpoint follows), and scopes: removing is in
 * force at once, granting id_number waits for a second client admin (self-approval refused).
 * Every change audited without the secret; other roles refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { adminToken } from '../support/admin.ts';
import { sharedBackends, startInstances, type Instances } from '../support/instances.ts';

describe('department apps from the admin console', () => {
  let stack: Stack;
  let a: string;
  let b: string;
  const call = (method: 'post' | 'put' | 'get', path: string, body?: object, token = a) => {
    const r = request(stack.issuer)[method](`/admin/api${path}`).set('Authorization', `Bearer ${token}`);
    return body ? r.send(body) : r;
  };
  const tokenFor = (id: string, secret: string) => request(stack.issuer).post('/token').auth(id, secret).type('form').send({ grant_type: 'client_credentials', scope: 'openid' });
  const doc = {
    client_id: 'dept-tax',
    client_name: '税务局',
    redirect_uris: ['https://tax.example.gov.cn/callback'],
    grant_types: ['authorization_code', 'client_credentials'],
    scope: 'openid profile',
  };

  before(async () => {
    stack = await startStack();
    a = (await adminToken(stack, ['client_admin'])).token;
    b = (await adminToken(stack, ['client_admin'])).token;
  });
  after(async () => {
    await stack?.close();
  });

  it('registers an app with the client files’ checks and gives its secret once', async () => {
    const bad = await call('post', '/clients', { document: { ...doc, redirect_uris: ['not a url'] }, reason: 'new app' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'client_file_invalid');
    const sensitive = await call('post', '/clients', { document: { ...doc, scope: 'openid id_number' }, reason: 'new app' });
    assert.equal(sensitive.status, 409);
    assert.equal(sensitive.body.error, 'admin_scope_needs_approval');
    const reserved = await call('post', '/clients', { document: { ...doc, client_id: 'tongban-account' }, reason: 'take over' });
    assert.equal(reserved.status, 400);

    const made = await call('post', '/clients', { document: doc, reason: 'tax bureau joins' });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.headers['cache-control'], 'no-store');
    const secret = made.body.client_secret as string;
    assert.ok(secret.length >= 32);
    assert.equal((await tokenFor('dept-tax', secret)).status, 200, 'the secret works at once');
    assert.equal((await call('post', '/clients', { document: doc, reason: 'again' })).status, 409);
    const listed = await call('get', '/clients');
    assert.equal(listed.text.includes(secret), false);
    assert.ok(listed.body.clients.some((c: { client_id: string; client_secret: string }) => c.client_id === 'dept-tax' && c.client_secret === 'set'));
  });

  it('edits, rotates the secret, disables and enables, live', async () => {
    const edited = await call('put', '/clients/dept-tax', { document: { ...doc, client_name: '国家税务总局上海市税务局' }, reason: 'official name' });
    assert.equal(edited.status, 200, edited.text);
    assert.equal((await stack.ctx.provider.Client.find('dept-tax'))?.clientName, '国家税务总局上海市税务局');
    const sneaky = await call('put', '/clients/dept-tax', { document: { ...doc, scope: 'openid id_number' }, reason: 'quietly' });
    assert.equal(sneaky.status, 409);

    const rotated = await call('post', '/clients/dept-tax/secret', { reason: 'leaked in a log' });
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.client_secret as string;
    assert.equal((await tokenFor('dept-tax', fresh)).status, 200);

    assert.equal((await call('post', '/clients/dept-tax/disable', { reason: 'contract ended' })).status, 200);
    assert.equal((await tokenFor('dept-tax', fresh)).status, 401, 'a disabled app gets no tokens');
    assert.ok((await call('get', '/clients')).body.clients.some((c: { client_id: string; disabled: boolean }) => c.client_id === 'dept-tax' && c.disabled));
    assert.equal((await call('post', '/clients/dept-tax/enable', { reason: 'renewed' })).status, 200);
    assert.equal((await tokenFor('dept-tax', fresh)).status, 200);

    const rows = (await stack.ctx.db.query<{ data: string }>("SELECT data::text AS data FROM audit_log WHERE type = 'client.changed' AND client_id = 'dept-tax' ORDER BY seq")).rows;
    assert.deepEqual(rows.map((r) => JSON.parse(r.data).change), ['registered', 'updated', 'secret_rotated', 'disabled', 'enabled']);
    for (const r of rows) assert.doesNotMatch(r.data, /hmac-sha256|[A-Za-z0-9_-]{43}/, 'no secret and no hash in the trail');
  });

  it('grants id_number only with a second client admin’s approval; removing a scope is at once', async () => {
    const narrowed = await call('post', '/clients/dept-tax/scopes', { scope: 'openid', reason: 'needs less' });
    assert.equal(narrowed.status, 200, narrowed.text);
    assert.equal(stack.ctx.clients.find('dept-tax')?.scope, 'openid');

    const asked = await call('post', '/clients/dept-tax/scopes', { scope: 'openid id_number', reason: 'tax filing needs the ID number' });
    assert.equal(asked.status, 202, asked.text);
    assert.equal(stack.ctx.clients.find('dept-tax')?.scope, 'openid', 'not before approval');
    const self = await call('post', `/changes/${asked.body.request_id}/approve`, { reason: 'mine' });
    assert.equal(self.status, 403);
    const ok = await call('post', `/changes/${asked.body.request_id}/approve`, { reason: 'legal basis checked' }, b);
    assert.equal(ok.status, 200, ok.text);
    for (let i = 0; i < 40 && stack.ctx.clients.find('dept-tax')?.scope !== 'openid id_number'; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(stack.ctx.clients.find('dept-tax')?.scope, 'openid id_number');
    const badScope = await call('post', '/clients/dept-tax/scopes', { scope: 'openid everything', reason: 'x1' });
    assert.equal(badScope.status, 400);
  });

  it('refuses other roles and unknown apps', async () => {
    const helpdesk = (await adminToken(stack, ['helpdesk'])).token;
    assert.equal((await call('post', '/clients', { document: doc, reason: 'x1' }, helpdesk)).status, 403);
    const unknown = await call('post', '/clients/nobody-here/secret', { reason: 'x1' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'admin_client_not_found');
    assert.equal((await call('post', '/clients/tongban-account/disable', { reason: 'x1' })).status, 404, 'the service’s own apps are not here');
  });
});

describe('department apps: a change through instance A is in force on instance B', { skip: sharedBackends }, () => {
  let multi: Instances;
  before(async () => {
    multi = await startInstances(2);
  });
  after(async () => {
    await multi?.close();
  });

  it('B accepts the new app, then refuses its old secret and its tokens once rotated or disabled, without a restart', async () => {
    const token = (await adminToken(multi.stacks[0]!, ['client_admin'], { via: multi.direct(0) })).token;
    const onA = (path: string, body: object) => request(multi.direct(0)).post(`/admin/api${path}`).set('Authorization', `Bearer ${token}`).send(body);
    const onB = (id: string, secret: string) => request(multi.direct(1)).post('/token').auth(id, secret).type('form').send({ grant_type: 'client_credentials', scope: 'openid' });
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (let i = 0; i < 100; i++) if (await ok()) return;
      else await new Promise((r) => setTimeout(r, 50));
      throw new Error(`${what}: not within 5 s`);
    };
    const made = await onA('/clients', { document: { client_id: 'dept-multi', client_name: 'Multi', grant_types: ['client_credentials'], subject_type: 'public', scope: 'openid' }, reason: 'joins' });
    assert.equal(made.status, 201, made.text);
    const first = made.body.client_secret as string;
    await until('B knows the app', async () => (await onB('dept-multi', first)).status === 200);
    const rotated = await onA('/clients/dept-multi/secret', { reason: 'rotate' });
    await until('B refuses the old secret', async () => (await onB('dept-multi', first)).status === 401);
    assert.equal((await onB('dept-multi', rotated.body.client_secret as string)).status, 200);
    await onA('/clients/dept-multi/disable', { reason: 'ends' });
    await until('B refuses the disabled app', async () => (await onB('dept-multi', rotated.body.client_secret as string)).status === 401);
  });
});
