/**
 * Every bad input named for the core: a clear 4xx with a stable code and a zh-CN/en message,
 * never a 500, and nothing stored lost or half-written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom, pkce } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { loadConfig } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';
import { registerClientFiles } from '../../src/oidc/register-client.ts';

describe('bad input', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Meadow2026green';
  const who = citizen('ma-jun');

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await enrolCitizen(stack, 'ma-jun', password);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function loginForm(browser: Browser): Promise<string> {
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)!;
    return (await browser.open(link[1]!)).text;
  }

  describe('on the login form', () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['a malformed ID number', { id_number: '31010119850312abc', password }, 400, 'id_number_malformed'],
      ['a wrong check digit', { id_number: who.idNumber.slice(0, 17) + (who.idNumber.endsWith('0') ? '1' : '0'), password }, 400, 'id_number_checksum'],
      ['an impossible birth date', { id_number: '310101199902300012', password }, 400, 'id_number_'],
      ['an empty ID number', { id_number: '', password }, 400, 'field_required'],
      ['an empty password', { id_number: who.idNumber, password: '' }, 400, 'field_required'],
      ['an oversized field', { id_number: who.idNumber, password: 'x'.repeat(500) }, 400, 'field_too_long'],
    ];
    for (const [name, fields, status, code] of cases) {
      it(`answers ${name} with ${status} ${code}`, async () => {
        const browser = new Browser(stack.issuer);
        const res = await browser.submit(await loginForm(browser), /method\/id-card-password/, fields);
        assert.equal(res.status, status);
        assert.match(res.text, new RegExp(code));
        assert.match(res.text, /role="alert"/);
      });
    }

    it('refuses a missing or forged CSRF token with 403 csrf_invalid', async () => {
      const browser = new Browser(stack.issuer);
      const page = await loginForm(browser);
      const missing = await browser.submit(page, /method\/id-card-password/, { id_number: who.idNumber, password }, { dropCsrf: true });
      assert.equal(missing.status, 403);
      assert.match(missing.text, /csrf_invalid/);
      const forged = await browser.submit(page, /method\/id-card-password/, { id_number: who.idNumber, password }, { csrf: 'A'.repeat(43) });
      assert.equal(forged.status, 403);
    });

    it('refuses a body over the limit with 413 and the wrong content type with 415', async () => {
      const browser = new Browser(stack.issuer);
      const page = await loginForm(browser);
      const action = page.match(/action="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!;
      const big = await browser.agent.post(action).type('form').send({ id_number: who.idNumber, password: 'x'.repeat(20_000) });
      assert.equal(big.status, 413);
      assert.match(big.text, /payload_too_large/);
      const json = await browser.agent.post(action).set('Accept', 'application/json').send({ id_number: who.idNumber, password });
      assert.equal(json.status, 415);
      assert.equal(json.body.error, 'unsupported_content_type');
      assert.ok(json.body.message['zh-CN'] && json.body.message.en);
    });

    it('treats an expired interaction as expired, with 400 interaction_expired', async () => {
      const browser = new Browser(stack.issuer);
      const page = await loginForm(browser);
      const uid = page.match(/\/interaction\/([^/"]+)\//)![1]!;
      await stack.ctx.store.del([`oidc:Interaction:{${uid}}`]); // what the TTL does when it runs out
      const res = await browser.submit(page, /method\/id-card-password/, { id_number: who.idNumber, password });
      assert.equal(res.status, 400);
      assert.match(res.text, /interaction_expired/);
      const stranger = await request(stack.issuer).get('/interaction/not-a-real-uid');
      assert.equal(stranger.status, 400);
    });
  });

  describe('on the protocol endpoints', () => {
    it('refuses an unknown client and a wrong redirect URI on an error page, not at the redirect', async () => {
      const unknown = await request(stack.issuer).get(authUrl('nobody', client.redirectUri).url);
      assert.equal(unknown.status, 400);
      assert.match(unknown.text, /invalid_client/);
      const wrongRedirect = await request(stack.issuer).get(authUrl(client.clientId, 'http://127.0.0.1:1/evil').url);
      assert.equal(wrongRedirect.status, 400);
      assert.match(wrongRedirect.text, /redirect_uri/);
      assert.equal(wrongRedirect.headers.location, undefined);
    });

    it('requires PKCE with S256: missing or plain is refused', async () => {
      const base = authUrl(client.clientId, client.redirectUri);
      const u = new URL(base.url, stack.issuer);
      u.searchParams.delete('code_challenge');
      u.searchParams.delete('code_challenge_method');
      const missing = await request(stack.issuer).get(u.pathname + u.search);
      assert.equal(new URL(missing.headers.location!).searchParams.get('error'), 'invalid_request');
      const plain = new URL(base.url, stack.issuer);
      plain.searchParams.set('code_challenge_method', 'plain');
      plain.searchParams.set('code_challenge', pkce().verifier);
      const res = await request(stack.issuer).get(plain.pathname + plain.search);
      assert.equal(new URL(res.headers.location!).searchParams.get('error'), 'invalid_request');
    });

    it('refuses a replayed authorization code and revokes what the first use issued', async () => {
      const browser = new Browser(stack.issuer);
      const r = authUrl(client.clientId, client.redirectUri);
      const done = await passwordLogin(browser, (await browser.open(r.url)).text, who.idNumber, password);
      const code = codeFrom(done.location, r.state);
      const send = () =>
        request(stack.issuer)
          .post('/token')
          .set('Authorization', basic(client))
          .type('form')
          .send({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: r.verifier });
      const first = await send();
      assert.equal(first.status, 200);
      const second = await send();
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'invalid_grant');
      const intro = await request(stack.issuer)
        .post('/token/introspection')
        .set('Authorization', basic(client))
        .type('form')
        .send({ token: first.body.access_token });
      assert.equal(intro.body.active, false, 'the first access token is revoked');
    });

    it('refuses a wrong client secret with 401 invalid_client', async () => {
      const res = await request(stack.issuer)
        .post('/token')
        .auth(client.clientId, 'not-the-secret-but-long-enough-0123456789')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
      const good = await request(stack.issuer).post('/token').set('Authorization', basic(client)).type('form').send({ grant_type: 'client_credentials' });
      assert.equal(good.status, 200, good.text);
    });

    it('refuses a tampered id_token_hint at logout', async () => {
      const browser = new Browser(stack.issuer);
      const r = authUrl(client.clientId, client.redirectUri);
      const done = await passwordLogin(browser, (await browser.open(r.url)).text, who.idNumber, password);
      const token = await request(stack.issuer)
        .post('/token')
        .set('Authorization', basic(client))
        .type('form')
        .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
      const [h, p, s] = (token.body.id_token as string).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.sub = 'someone-else';
      const tampered = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
      const res = await browser.agent.get(`/session/end?id_token_hint=${tampered}`);
      assert.equal(res.status, 400);
      assert.match(res.text, /invalid_request|id_token_hint/);
    });
  });

  describe('in configuration', () => {
    it('names the file and the field of an invalid client file; an invalid JSON file by name', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'clients-'));
      const deps = { provider: stack.ctx.provider, clients: stack.ctx.clients, audit: stack.ctx.audit, clientSecretKey: stack.ctx.keys.clientSecretKey };
      await writeFile(path.join(dir, 'broken.json'), '{ "client_id": ');
      await assert.rejects(registerClientFiles(deps, dir), (e: Error) => e instanceof ConfigError && /broken\.json/.test(e.message) && /JSON/.test(e.message));
      await writeFile(path.join(dir, 'broken.json'), JSON.stringify({ client_id: 'ok-id', client_name: 'x', client_secret: 's'.repeat(40), redirect_uris: ['not a url'] }));
      await assert.rejects(registerClientFiles(deps, dir), (e: Error) => e instanceof ConfigError && /broken\.json/.test(e.message) && /redirect_uris/.test(e.message));
      assert.equal(stack.ctx.clients.find('ok-id'), undefined, 'nothing registered from a bad file');
    });

    it('names each invalid environment variable', () => {
      assert.throws(() => loadConfig({ PORT: 'abc' }), (e: Error) => e instanceof ConfigError && /PORT/.test(e.message));
      assert.throws(() => loadConfig({ REDIS_URL: 'http://x' }), (e: Error) => e instanceof ConfigError && /REDIS_URL/.test(e.message));
      assert.throws(() => loadConfig({ ARGON2_MEMORY_KIB: '1024' }), (e: Error) => /ARGON2_MEMORY_KIB/.test(e.message));
      assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (e: Error) => /ISSUER/.test(e.message));
    });
  });

  it('still signs the citizen in after all of the above (nothing stored was harmed)', async () => {
    const browser = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri);
    const done = await passwordLogin(browser, (await browser.open(r.url)).text, who.idNumber, password);
    assert.ok(done.location?.startsWith(client.redirectUri));
  });
});
