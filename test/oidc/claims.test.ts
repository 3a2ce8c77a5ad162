/** What departments may receive: scope allow-lists, the ID number, the claims parameter, signing algorithms. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('claims and signing', () => {
  let stack: Stack;
  let plain: TestClient;
  let granted: TestClient;
  let legacy: TestClient;
  const password = 'Orchard2026pear';
  const who = citizen('ouyang-xue');

  before(async () => {
    stack = await startStack();
    plain = await addClient(stack, 'plain');
    granted = await addClient(stack, 'civil-affairs', { scope: 'openid profile id_number proofing' });
    legacy = await addClient(stack, 'legacy', { tongban_first_party: true, id_token_signed_response_alg: 'RS256' });
    await enrolCitizen(stack, 'ouyang-xue', password);
  });
  after(async () => {
    for (const c of [plain, granted, legacy]) await c?.rp.close();
    await stack?.close();
  });

  async function signIn(browser: Browser, c: TestClient, extra: Record<string, string> = {}) {
    const r = authUrl(c.clientId, c.redirectUri, extra);
    let page = await browser.open(r.url);
    if (/method\/id-card-password/.test(page.text)) page = await passwordLogin(browser, page.text, who.idNumber, password);
    if (!page.location) page = await browser.submit(page.text, /consent/, { decision: 'allow' });
    const res = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(c))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(page.location, r.state), redirect_uri: c.redirectUri, code_verifier: r.verifier });
    assert.equal(res.status, 200, res.text);
    return res.body as { id_token: string; access_token: string };
  }

  it('refuses the id_number scope to a department not granted it', async () => {
    const res = await new Browser(stack.issuer).open(authUrl(plain.clientId, plain.redirectUri, { scope: 'openid id_number' }).url);
    const u = new URL(res.location!);
    assert.equal(u.searchParams.get('error'), 'invalid_scope');
  });

  it('releases the ID number to a granted department after consent, and audits the release', async () => {
    const browser = new Browser(stack.issuer);
    const r = authUrl(granted.clientId, granted.redirectUri, { scope: 'openid id_number proofing' });
    const login = await passwordLogin(browser, (await browser.open(r.url)).text, who.idNumber, password);
    assert.match(login.text, /身份证号码/, 'the consent page names the ID number');
    assert.match(login.text, /身份核验方式/);
    const back = await browser.submit(login.text, /consent/, { decision: 'allow' });
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(granted))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(back.location, r.state), redirect_uri: granted.redirectUri, code_verifier: r.verifier });
    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${token.body.access_token}`);
    assert.equal(me.body.id_number, who.idNumber);
    assert.equal(me.body.proofing, 'remote');
    assert.equal(me.body.name, undefined, 'profile was not asked for');
    const { rows } = await stack.ctx.db.query<{ client_id: string; data: { claims: string[] } }>(
      "SELECT client_id, data FROM audit_log WHERE type = 'claims.released'",
    );
    assert.ok(rows.some((r) => r.client_id === 'civil-affairs' && r.data.claims.includes('id_number')));
  });

  it('lets a department ask for single claims with the claims parameter', async () => {
    const browser = new Browser(stack.issuer);
    const t = await signIn(browser, plain, { scope: 'openid', claims: JSON.stringify({ userinfo: { birthdate: null } }) });
    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${t.access_token}`);
    assert.equal(me.body.birthdate, who.birthdate);
    assert.equal(me.body.name, undefined);
  });

  it('signs ID tokens ES256 by default and RS256 for a client that asks', async () => {
    const jwks = createLocalJWKSet((await request(stack.issuer).get('/jwks')).body);
    const browser = new Browser(stack.issuer);
    const es = await signIn(browser, plain);
    assert.equal(decodeProtectedHeader(es.id_token).alg, 'ES256');
    const rs = await signIn(browser, legacy);
    assert.equal(decodeProtectedHeader(rs.id_token).alg, 'RS256');
    await jwtVerify(rs.id_token, jwks, { issuer: stack.issuer, audience: 'legacy' });
  });

  it('publishes discovery with our levels, code flow only and S256 only', async () => {
    const d = (await request(stack.issuer).get('/.well-known/openid-configuration')).body;
    assert.deepEqual(d.acr_values_supported, ['urn:tongban:loa:1', 'urn:tongban:loa:2', 'urn:tongban:loa:3']);
    assert.deepEqual(d.response_types_supported, ['code']);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.ok(d.subject_types_supported.includes('pairwise'));
    assert.equal(d.backchannel_logout_supported, true);
    assert.equal(d.claims_parameter_supported, true);
    assert.ok(d.grant_types_supported.includes('client_credentials'));
  });

  it('shows the pages in English on request and remembers the choice', async () => {
    const browser = new Browser(stack.issuer);
    const zh = await browser.open(authUrl(plain.clientId, plain.redirectUri).url);
    assert.match(zh.text, /<html lang="zh-CN">/);
    const uid = zh.text.match(/\/interaction\/([^/"]+)\//)![1]!;
    const en = await browser.open(`/interaction/${uid}?lang=en`);
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /Choose how to sign in/);
    const form = await browser.open(`/interaction/${uid}/method/id-card-password`);
    assert.match(form.text, /<label for="id_number">Resident ID number<\/label>/, 'labelled fields, English kept');
  });
});
