/**
 * The whole authorization code flow with PKCE through our real pages: registration with an
 * SMS code, consent, code exchange, ID-token signature against JWKS, userinfo, refresh
 * rotation, introspection, revocation, and logout with back-channel notification.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createLocalJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('authorization code flow, end to end', () => {
  let stack: Stack;
  let a: TestClient;
  const person = citizen('wang-fang');
  const password = 'Spring2026rain';

  before(async () => {
    stack = await startStack();
    a = await addClient(stack, 'dept-a', { scope: 'openid profile phone offline_access proofing' });
  });
  after(async () => {
    await a?.rp.close();
    await stack?.close();
  });

  async function lastCode(phone: string): Promise<string> {
    const res = await fetch(`${stack.sandboxUrl}/sms/outbox.json?phone=${phone}`);
    const list = (await res.json()) as Array<{ text: string }>;
    const m = list[0]?.text.match(/(\d{6})/);
    assert.ok(m, 'an SMS code was sent');
    return m[1]!;
  }

  it('registers, consents, and receives verifiable tokens; refresh rotates; logout notifies the department', async () => {
    const browser = new Browser(stack.issuer);
    const req = authUrl(a.clientId, a.redirectUri, { scope: 'openid profile phone offline_access', prompt: 'consent' });
    const chooser = await browser.open(req.url);
    assert.equal(chooser.status, 200);
    assert.match(chooser.text, /身份证号码 \+ 密码/);
    const enrolLink = chooser.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/);
    assert.ok(enrolLink, 'the chooser offers registration');

    const form = await browser.open(enrolLink[1]!);
    assert.match(form.text, /开通通办 ID/);
    const otpPage = await browser.submit(form.text, /enrol\/id-card-password/, {
      id_number: person.idNumber,
      name: person.name,
      password,
      phone: person.phone!,
    });
    assert.equal(otpPage.status, 200, otpPage.text);
    assert.match(otpPage.text, /138\*\*\*\*8000/);

    const consent = await browser.submit(otpPage.text, /enrol\/id-card-password/, { code: await lastCode(person.phone!) });
    assert.equal(consent.status, 200, consent.text);
    assert.match(consent.text, /授权/);
    assert.match(consent.text, /手机号码/);
    assert.doesNotMatch(consent.text, /身份证号码<\/li>/, 'the ID number is not asked for');

    const back = await browser.submit(consent.text, /consent/, { decision: 'allow' });
    const code = codeFrom(back.location, req.state);

    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(a))
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: a.redirectUri, code_verifier: req.verifier });
    assert.equal(token.status, 200, token.text);
    const { id_token, access_token, refresh_token } = token.body as Record<string, string>;
    assert.ok(id_token && access_token && refresh_token);

    const jwks = (await request(stack.issuer).get('/jwks')).body;
    assert.equal(decodeProtectedHeader(id_token).alg, 'ES256');
    const { payload } = await jwtVerify(id_token, createLocalJWKSet(jwks), { issuer: stack.issuer, audience: a.clientId });
    assert.equal(payload.nonce, req.nonce);
    assert.equal(payload.acr, 'urn:tongban:loa:1');
    assert.deepEqual(payload.amr, ['pwd']);
    assert.equal(typeof payload.auth_time, 'number');
    assert.notEqual(payload.sub, undefined);

    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${access_token}`);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, payload.sub);
    assert.equal(me.body.name, person.name);
    assert.equal(me.body.phone_number, `+86${person.phone}`);
    assert.equal(me.body.id_number, undefined, 'no id_number without the scope');

    const refreshed = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(a))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, refresh_token, 'rotated');
    const fresh = refreshed.body.access_token as string;
    const intro = await request(stack.issuer).post('/token/introspection').set('Authorization', basic(a)).type('form').send({ token: fresh });
    assert.equal(intro.status, 200);
    assert.equal(intro.body.active, true);
    assert.equal(intro.body.client_id, a.clientId);

    const revoke = await request(stack.issuer).post('/token/revocation').set('Authorization', basic(a)).type('form').send({ token: fresh });
    assert.equal(revoke.status, 200);
    const after = await request(stack.issuer).post('/token/introspection').set('Authorization', basic(a)).type('form').send({ token: fresh });
    assert.equal(after.body.active, false);

    const reused = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(a))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');

    // reuse of a rotated refresh token revokes the grant: the rotated one dies too
    const rotatedAfterReuse = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(a))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    assert.equal(rotatedAfterReuse.status, 400);

    const end = await browser.open(
      `/session/end?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: a.rp.url + '/', client_id: a.clientId })}`,
    );
    assert.equal(end.status, 200);
    const done = await browser.submit(end.text, /session\/end\/confirm/, { logout: 'yes' });
    assert.equal(done.location, `${a.rp.url}/`, `${done.status} ${done.text.slice(0, 600)}`);
    assert.equal(a.rp.logoutTokens.length, 1, 'the department received a back-channel logout');
    assert.equal(a.rp.logoutTokens[0]!.sub, payload.sub);

    // signed out: the next request asks for a login again
    const again = await browser.open(authUrl(a.clientId, a.redirectUri).url);
    assert.match(again.text, /选择登录方式/);
  });

  it('keeps no plaintext ID number, name or phone in the database', async () => {
    for (const table of ['persons', 'credentials', 'audit_log', 'consents']) {
      const { rows } = await stack.ctx.db.query(`SELECT * FROM ${table}`);
      const dump = JSON.stringify(rows);
      assert.ok(rows.length > 0, `${table} has rows`);
      assert.ok(!dump.includes(person.idNumber), `${table}: no ID number`);
      assert.ok(!dump.includes(person.name), `${table}: no name`);
      assert.ok(!dump.includes(person.phone!), `${table}: no phone`);
    }
    const verified = await stack.ctx.audit.verifyChain();
    assert.equal(verified.ok, true);
  });
});
