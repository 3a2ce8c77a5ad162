/**
 * QR sign-in through the real pages: the computer's browser shows a QR and polls; the city app,
 * signed in through a real code flow with PKCE, approves or rejects through the method API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { z } from 'zod';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom, type PkceRequest } from '../../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { sharedState } from '../../../src/interaction/method-context.ts';
import { DEFINITIONS } from '../../../providers/registry.ts';
import { appSession, callApi, payloadOn, pollLink, tokenOn } from './city-app.ts';

const PASSWORD = 'CityApp2026scan';
const roomy = { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 };

describe('app-scan sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  let appToken: string;
  const who = citizen('zhao-min');

  before(async () => {
    stack = await startStack({
      rateScopes: { ip: roomy },
      // only the two methods this needs; the app session signs in at level 3 to show the cap
      methodSettings: Object.fromEntries(
        DEFINITIONS.map((d) => [d.id, d.id === 'id-card-password' ? { level: 3 } : { enabled: d.id === 'app-scan' }]),
      ),
    });
    client = await addClient(stack, 'permits', { tongban_first_party: true });
    await enrolCitizen(stack, 'zhao-min', PASSWORD);
    appToken = await appSession(stack, who, PASSWORD);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  /** A computer's browser on the QR page of a fresh authorization request. */
  async function qrPage(): Promise<{ browser: Browser; r: PkceRequest; page: string }> {
    const browser = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri);
    const chooser = await browser.open(r.url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/app-scan)"/);
    assert.ok(link, 'the chooser offers app-scan');
    const page = await browser.open(link[1]!);
    assert.equal(page.status, 200);
    return { browser, r, page: page.text };
  }

  async function idToken(done: { location?: string }, r: PkceRequest) {
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
    assert.equal(token.status, 200, token.text);
    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${token.body.access_token}`);
    return { claims: decodeJwt(token.body.id_token as string), name: me.body.name as string };
  }

  it('signs in the person who approved in the app, at the app level capped at 2, with its amr', async () => {
    const { browser, r, page } = await qrPage();
    assert.match(page, /tongban:\/\/scan\?t=/);
    const waiting = await browser.open(pollLink(page));
    assert.equal(waiting.status, 200);
    assert.equal(tokenOn(waiting.text), tokenOn(page), 'the same QR while waiting');

    const approved = await callApi(stack, 'approve', appToken, { token: tokenOn(page) });
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual(approved.body, { status: 'approved' });

    const done = await browser.open(pollLink(page));
    const { claims, name } = await idToken(done, r);
    assert.equal(name, who.name);
    assert.equal(claims.acr, 'urn:tongban:loa:2', 'a level-3 app session signs the computer in at 2');
    assert.deepEqual(claims.amr, ['pwd']);
  });

  it('keeps the QR on reload, and a QR lives two minutes at most', async () => {
    const { browser, page } = await qrPage();
    const again = await browser.open(pollLink(page).replace('?step=poll', ''));
    assert.equal(tokenOn(again.text), tokenOn(page));
    const ttl = await stack.ctx.store.ttl(`m:app-scan:qr:${tokenOn(page)}`);
    assert.ok(ttl > 0 && ttl <= 120, `ttl ${ttl}`);
  });

  it('takes an approval once: a second approval and a poll after success are refused', async () => {
    const { browser, page } = await qrPage();
    const token = tokenOn(page);
    const [a, b] = await Promise.all([callApi(stack, 'approve', appToken, { token }), callApi(stack, 'approve', appToken, { token })]);
    assert.deepEqual([a.status, b.status].sort(), [200, 410]);
    const third = await callApi(stack, 'approve', appToken, { token });
    assert.equal(third.status, 410);
    assert.equal(third.body.error, 'app_scan_expired');

    const done = await browser.open(pollLink(page));
    assert.ok(done.location?.startsWith(client.redirectUri), 'signed in');
    const replay = await browser.open(pollLink(page));
    assert.equal(replay.location, undefined);
    assert.ok(replay.status >= 400 && replay.status < 500, `status ${replay.status}`);
    assert.match(replay.text, /expired/);
    assert.equal((await callApi(stack, 'reject', appToken, { token })).status, 410);
  });

  it('accepts only the city app: other clients 403, bad bearer tokens 401, bad bodies 400', async () => {
    const { page } = await qrPage();
    const token = tokenOn(page);

    const rp = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri);
    const done = await passwordLogin(rp, (await rp.open(r.url)).text, who.idNumber, PASSWORD);
    const other = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
    const wrong = await callApi(stack, 'approve', other.body.access_token as string, { token });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, 'app_scan_wrong_client');

    const forged = await callApi(stack, 'approve', 'x'.repeat(43), { token });
    assert.equal(forged.status, 401);
    const missing = await request(stack.issuer).post('/api/methods/app-scan/approve').send({ token });
    assert.equal(missing.status, 401);

    for (const body of [{}, { token: 'short' }, { token, extra: 1 }, ['x']]) {
      const res = await callApi(stack, 'approve', appToken, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'invalid_input');
    }
    // none of that used the token up
    assert.equal((await callApi(stack, 'approve', appToken, { token })).status, 200);
  });

  it('fails with app_scan_rejected when the app says "not me", and offers a fresh QR', async () => {
    const { browser, page } = await qrPage();
    const rejected = await callApi(stack, 'reject', appToken, { token: tokenOn(page) });
    assert.equal(rejected.status, 200);
    assert.deepEqual(rejected.body, { status: 'rejected' });
    assert.equal((await callApi(stack, 'approve', appToken, { token: tokenOn(page) })).status, 410, 'no approval after a rejection');

    const res = await browser.open(pollLink(page));
    assert.equal(res.location, undefined);
    assert.ok(res.status >= 400 && res.status < 500);
    assert.match(res.text, /app_scan_rejected/);
    assert.notEqual(tokenOn(res.text), tokenOn(page), 'a fresh QR');
  });

  it('refuses an expired QR in the app and shows the page a fresh one', async () => {
    const { browser, page } = await qrPage();
    // what the store's TTL does after two minutes
    await sharedState(stack.ctx.store, 'app-scan').consume(`qr:${tokenOn(page)}`, z.unknown());
    const late = await callApi(stack, 'approve', appToken, { token: tokenOn(page) });
    assert.equal(late.status, 410);
    assert.equal(late.body.error, 'app_scan_expired');

    const res = await browser.open(pollLink(page));
    assert.equal(res.status, 400);
    assert.match(res.text, /challenge_expired/);
    const fresh = tokenOn(res.text);
    assert.notEqual(fresh, tokenOn(page));
    assert.equal((await callApi(stack, 'approve', appToken, { token: fresh })).status, 200, 'the fresh QR works');
    assert.ok((await browser.open(pollLink(res.text))).location?.startsWith(client.redirectUri));
  });

  it('answers a step it does not know, or a forged POST, with a 4xx and the same QR', async () => {
    const { browser, page } = await qrPage();
    const res = await browser.open(pollLink(page).replace('step=poll', 'step=callback'));
    assert.equal(res.status, 400);
    assert.equal(tokenOn(res.text), tokenOn(page));
    // the page has no form of ours; a forged POST (with the page's CSRF token) is still a 4xx
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const posted = await browser.agent
      .post(pollLink(page).replace('?step=poll', ''))
      .type('form')
      .send({ csrf, step: 'no-such-step', id_number: '\u0000<script>', code: 'x'.repeat(300) });
    assert.equal(posted.status, 400);
    assert.equal(tokenOn(posted.text), tokenOn(page));
  });

  it('the city-app simulator signs in with PKCE as the city app and approves from its own page', async () => {
    const { browser, r, page } = await qrPage();
    const payload = payloadOn(page);
    const phone = request.agent(stack.sandboxUrl);
    const first = await phone.get('/city-app/').query({ payload });
    assert.equal(first.status, 200);
    assert.match(first.text, /Sign in to the city app/);

    const go = await phone.get('/city-app/login').query({ payload }).redirects(0);
    assert.equal(go.status, 303);
    const auth = new URL(go.headers.location as string);
    assert.equal(auth.origin, stack.issuer);
    assert.equal(auth.searchParams.get('client_id'), 'city-app');
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');

    const app = new Browser(stack.issuer);
    let done = await passwordLogin(app, (await app.open(auth.href)).text, who.idNumber, PASSWORD);
    if (!done.location) done = await app.submit(done.text, /\/consent$/, { decision: 'allow' });
    const callback = done.location ?? '';
    assert.ok(callback.startsWith(`${stack.sandboxUrl}/city-app/callback?`), callback);
    const back = await phone.get(callback.slice(stack.sandboxUrl.length)).redirects(0);
    assert.equal(back.status, 303);
    const ask = await phone.get(back.headers.location as string);
    assert.match(ask.text, /Approve the sign-in on the computer\?/);
    assert.ok(ask.text.includes(who.name), 'shows who the app is signed in as');

    const ok = await phone.post('/city-app/approve').type('form').send({ payload });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /Approved/);
    const { name } = await idToken(await browser.open(pollLink(page)), r);
    assert.equal(name, who.name);
    assert.equal((await phone.post('/city-app/approve').type('form').send({ payload })).status, 410);
  });

  it('the simulator refuses what is not a city-app QR, and a callback it did not start', async () => {
    const phone = request.agent(stack.sandboxUrl);
    for (const payload of ['https://example.com/scan?t=x', 'tongban://scan?t=short&iss=http://127.0.0.1', 'tongban://scan?iss=javascript:alert(1)']) {
      assert.equal((await phone.get('/city-app/').query({ payload })).status, 400, payload);
    }
    assert.equal((await phone.get('/city-app/callback').query({ code: 'x', state: 'y' })).status, 400);
  });
});
