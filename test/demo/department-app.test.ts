// test-pass: embedded — the demo app on its own, no store
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import request from 'supertest';
import { createDepartmentApp } from '../../src/demo/department-app.ts';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const CLIENT_ID = 'dept-social-insurance';
const CLIENT_SECRET = 'a secret: with odd characters';

/** A stand-in provider: discovery, JWKS, and a token endpoint that checks PKCE and client auth. */
async function startFakeProvider(publicJwk: jose.JWK, signingKey: CryptoKey) {
  let issuer = '';
  const expected: { codeChallenge?: string; nonce?: string; sub: string; sid: string } = { sub: 'person-1', sid: 'sid-1' };
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path === '/.well-known/openid-configuration') {
      return json(200, {
        issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/me`, end_session_endpoint: `${issuer}/session/end`,
      });
    }
    if (path === '/jwks') return json(200, { keys: [publicJwk] });
    if (path === '/me') return json(200, { sub: expected.sub, name: '张三 <script>' });
    if (path === '/token') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString().split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
        if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return json(401, { error: 'invalid_client' });
        const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
        if (challenge !== expected.codeChallenge) return json(400, { error: 'invalid_grant' });
        void new jose.SignJWT({ nonce: expected.nonce, sid: expected.sid, acr: 'urn:tongban:loa:2', amr: ['otp', 'mfa'] })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience(CLIENT_ID)
          .setSubject(expected.sub).setIssuedAt().setExpirationTime('5m').sign(signingKey)
          .then((idToken) => json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300, id_token: idToken }));
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, expected, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('demo department app: back-channel logout receiver', () => {
  let provider: Awaited<ReturnType<typeof startFakeProvider>>;
  let signingKey: CryptoKey;
  let dept: ReturnType<typeof createDepartmentApp>;

  before(async () => {
    const pair = await jose.generateKeyPair('ES256');
    signingKey = pair.privateKey;
    const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    provider = await startFakeProvider(publicJwk, signingKey);
    dept = createDepartmentApp({
      issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
      baseUrl: 'http://127.0.0.1:3101', title: { 'zh-CN': '社保服务', en: 'Social insurance' },
    });
  });
  after(async () => provider.close());

  const logoutToken = (
    claims: Record<string, unknown> = {},
    o: { key?: CryptoKey; audience?: string; events?: unknown } = {},
  ) =>
    new jose.SignJWT({ events: o.events ?? { [EVENT]: {} }, sid: 'sid-1', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'logout+jwt' })
      .setIssuer(provider.issuer).setAudience(o.audience ?? CLIENT_ID).setSubject('person-1')
      .setIssuedAt().setJti(randomUUID()).sign(o.key ?? signingKey);

  const post = (token: string) =>
    request(dept.app).post('/backchannel-logout').type('form').send({ logout_token: token });

  it('accepts a correctly signed logout token and records it', async () => {
    const before = dept.logoutTokens.length;
    const res = await post(await logoutToken({ sid: 'sid-accepted' }));
    assert.equal(res.status, 200);
    assert.equal(dept.logoutTokens.length, before + 1);
    assert.equal(dept.logoutTokens.at(-1)?.sid, 'sid-accepted');
  });

  it('rejects a logout token with a wrong signature', async () => {
    const other = await jose.generateKeyPair('ES256');
    const res = await post(await logoutToken({}, { key: other.privateKey }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'invalid_logout_token' });
  });

  it('rejects a logout token that carries a nonce', async () => {
    const res = await post(await logoutToken({ nonce: 'n-1' }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'invalid_logout_token' });
  });

  it('rejects a logout token for another audience', async () => {
    const res = await post(await logoutToken({}, { audience: 'some-other-client' }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'invalid_logout_token' });
  });

  it('rejects a token without the back-channel logout event', async () => {
    const res = await post(await logoutToken({}, { events: { 'urn:example:other': {} } }));
    assert.equal(res.status, 400);
  });

  it('rejects a request without a logout token', async () => {
    const res = await request(dept.app).post('/backchannel-logout').type('form').send({});
    assert.equal(res.status, 400);
  });

  it('signs in with PKCE and ends that session when a logout token names its sid', async () => {
    const agent = request.agent(dept.app);
    const login = await agent.get('/login').expect(303);
    const auth = new URL(login.headers.location!);
    assert.equal(auth.origin + auth.pathname, `${provider.issuer}/auth`);
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(auth.searchParams.get('redirect_uri'), 'http://127.0.0.1:3101/callback');
    assert.equal(auth.searchParams.get('scope'), 'openid profile');
    provider.expected.codeChallenge = auth.searchParams.get('code_challenge') ?? undefined;
    provider.expected.nonce = auth.searchParams.get('nonce') ?? undefined;

    await agent.get('/callback').query({ code: 'c-1', state: 'not-the-state' }).expect(400);
    // A state mismatch ends the attempt, so start again.
    const retry = new URL((await agent.get('/login').expect(303)).headers.location!);
    provider.expected.codeChallenge = retry.searchParams.get('code_challenge') ?? undefined;
    provider.expected.nonce = retry.searchParams.get('nonce') ?? undefined;
    await agent.get('/callback').query({ code: 'c-1', state: retry.searchParams.get('state') }).expect(303);

    const home = await agent.get('/').expect(200);
    assert.match(home.text, /person-1/);
    assert.match(home.text, /urn:tongban:loa:2/);
    assert.match(home.text, /张三 &lt;script&gt;/);

    await post(await logoutToken({ sid: 'sid-1' })).expect(200);
    const after = await agent.get('/').expect(200);
    assert.doesNotMatch(after.text, /person-1/);
    assert.match(after.text, /href="\/login"/);
  });
});
