// test-pass: postgres-redis — needs REDIS_URL; stops a Redis of its own
/**
 * Redis frozen or stopped in the middle of sign-ins and token requests, on a redis-server of this
 * test's own: every answer while it is out is a prompt "temporarily unavailable" (a 503 page with
 * a retry link, or 503 temporarily_unavailable JSON, with Retry-After), never "expired", "not
 * valid" or server_error; once Redis is back the service works again without a restart.
 * Runs with the Redis suite (REDIS_URL set) where redis-server is installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { ownRedisMissing, startOwnRedis, type OwnRedis } from '../support/own-redis.ts';
import { captureLogs } from '../../src/log.ts';
import { assertUnavailableJson, assertUnavailablePage, passwordForm, redeem, throughConsent, waitUntilReady } from './outage-steps.ts';

const skip = ownRedisMissing || (!process.env.REDIS_URL && 'runs with the Redis suite (REDIS_URL set)');
const PASSWORD = 'Spring2026rain';

describe('a Redis outage', { skip }, () => {
  let redis: OwnRedis;
  let stack: Stack;
  let client: TestClient;
  let idNumber: string;
  let logs: ReturnType<typeof captureLogs>;

  before(async () => {
    redis = await startOwnRedis();
    // a short command limit, so a frozen Redis is noticed within a second
    stack = await startStack({ env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '1000' }, weakArgon2: true });
    client = await addClient(stack, 'dept-redis-outage');
    idNumber = (await enrolCitizen(stack, 'zhang-wei', PASSWORD)).idNumber;
    logs = captureLogs('warn');
  });
  after(async () => {
    logs?.restore();
    redis?.thaw();
    await client?.rp.close();
    await stack?.close();
    await redis?.close();
  });

  it('answers 503 while Redis is frozen, and the same form signs in once it answers again', async () => {
    // a code issued before the freeze, and a second person's password form left open
    const first = new Browser(stack.issuer);
    const firstReq = authUrl(client.clientId, client.redirectUri);
    const signedIn = await throughConsent(first, await passwordLogin(first, (await first.open(firstReq.url)).text, idNumber, PASSWORD));
    const code = codeFrom(signedIn.location, firstReq.state);
    const second = new Browser(stack.issuer);
    const secondReq = authUrl(client.clientId, client.redirectUri);
    const form = await passwordForm(second, secondReq.url);

    redis.freeze();
    try {
      // every answer below arrives while Redis is still frozen: nothing waits for it to come back
      const [submitted, token, ready, fresh] = await Promise.all([
        second.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: PASSWORD }),
        redeem(stack.issuer, client, { code, verifier: firstReq.verifier }),
        request(stack.issuer).get('/readyz').timeout(15_000),
        new Browser(stack.issuer).agent.get(authUrl(client.clientId, client.redirectUri).url).redirects(0).timeout(15_000),
      ]);
      assertUnavailablePage(submitted, 'the submitted sign-in form');
      assertUnavailableJson(token, 'the token endpoint');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, { status: 'unavailable', database: 'ok', store: 'unavailable' });
      assert.equal(fresh.status, 503, 'a new authorization request');
      assertUnavailablePage({ status: fresh.status, text: fresh.text }, 'a new authorization request');
      assert.equal(fresh.headers['retry-after'], '5');
    } finally {
      redis.thaw();
    }

    await waitUntilReady(stack.issuer);
    const back = await throughConsent(second, await second.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: PASSWORD }));
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(back.location, secondReq.state), verifier: secondReq.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.body.id_token);
  });

  it('answers 503 while Redis is stopped, and a fresh sign-in works once it is started again', async () => {
    const browser = new Browser(stack.issuer);
    const form = await passwordForm(browser, authUrl(client.clientId, client.redirectUri).url);

    await redis.stop();
    try {
      const submitted = await browser.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: PASSWORD });
      assertUnavailablePage(submitted, 'the submitted sign-in form');
      const fresh = await browser.open(authUrl(client.clientId, client.redirectUri).url);
      assertUnavailablePage(fresh, 'a new authorization request');
      const userinfo = await request(stack.issuer).get('/me').set('Authorization', 'Bearer some-access-token').timeout(15_000);
      assertUnavailableJson(userinfo, 'userinfo');
      for (const endpoint of ['/token/introspection', '/token/revocation']) {
        const res = await request(stack.issuer).post(endpoint).set('Authorization', basic(client)).type('form').send({ token: 'some-token' }).timeout(15_000);
        assertUnavailableJson(res, endpoint);
      }
      const ready = await request(stack.issuer).get('/readyz').timeout(15_000);
      assert.equal(ready.status, 503);
    } finally {
      await redis.start();
    }

    // no restart of the service: it reconnects by itself
    await waitUntilReady(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const done = await throughConsent(browser, await passwordLogin(browser, (await browser.open(req.url)).text, idNumber, PASSWORD));
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(done.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal((await stack.ctx.audit.verifyChain()).ok, true, 'the audit chain verifies');
  });

  it('logs the outage as such and no unexpected error', () => {
    const lines = logs.lines();
    assert.ok(lines.some((l) => l.msg === 'store unavailable' && l.store === 'redis' && typeof l.requestId === 'string'));
    assert.deepEqual(lines.filter((l) => l.level === 'error'), []);
  });
});
