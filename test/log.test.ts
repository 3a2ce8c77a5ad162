/**
 * The log: a request id on every request (the proxy's only when the proxy is trusted), returned
 * in X-Request-Id; request lines with method, route and status and nothing from the query string,
 * cookies or headers; every unexpected error logged once with its request id, from express and
 * from the provider; a back-channel logout that could not be delivered logged and audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startStack, type Stack } from './support/stack.ts';
import { addClient, type TestClient } from './support/clients.ts';
import { authUrl, Browser, codeFrom } from './support/browser.ts';
import { enrolCitizen, passwordLogin } from './support/login.ts';
import { captureLogs, log } from '../src/log.ts';
import { INDEX_DOMAIN } from '../src/identity/types.ts';
import { redeem, throughConsent } from './faults/outage-steps.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'Spring2026rain';

describe('the log', () => {
  let stack: Stack;
  let behindProxy: Stack;
  let client: TestClient;
  let logs: ReturnType<typeof captureLogs>;

  before(async () => {
    stack = await startStack({ weakArgon2: true });
    // one proxy hop in front of this one
    behindProxy = await startStack({ env: { TRUST_PROXY: '1' }, weakArgon2: true });
    client = await addClient(stack, 'dept-log');
    logs = captureLogs('info');
  });
  after(async () => {
    logs?.restore();
    await client?.rp.close();
    await stack?.close();
    await behindProxy?.close();
  });

  const linesOf = (requestId: string) => logs.lines().filter((l) => l.requestId === requestId);

  it('gives every request an id in X-Request-Id and logs method, route, status and time, never the query, cookies or headers', async () => {
    const secret = randomBytes(12).toString('hex');
    const res = await request(stack.issuer)
      .get(`/auth?client_id=dept-log&state=${secret}`)
      .set('Cookie', `_session=${secret}`)
      .set('Authorization', `Bearer ${secret}`)
      .set('X-Request-Id', 'chosen-by-the-client');
    const id = res.headers['x-request-id'] as string;
    assert.match(id, UUID, 'not trusting the client, the service makes its own id');
    const lines = linesOf(id);
    assert.equal(lines.length, 1, JSON.stringify(logs.lines()));
    assert.equal(lines[0]!.msg, 'request');
    assert.equal(lines[0]!.method, 'GET');
    assert.equal(lines[0]!.route, '/auth');
    assert.equal(typeof lines[0]!.ms, 'number');
    assert.equal(lines[0]!.level, 'info');
    assert.equal(lines[0]!.status, res.status);
    assert.doesNotMatch(JSON.stringify(logs.lines()), new RegExp(secret), 'no query, cookie or header value');
  });

  it('logs the route with every segment that could be an id, a code or a name replaced', async () => {
    const uid = randomBytes(16).toString('base64url');
    const res = await request(stack.issuer).get(`/interaction/${uid}/method/id-card-password`);
    const phone = await request(stack.issuer).get('/auth/13912345678');
    const name = await request(stack.issuer).get(`/account/${encodeURIComponent('李娜')}`);
    const routes = [res, phone, name].map((r) => linesOf(r.headers['x-request-id'] as string)[0]?.route);
    assert.deepEqual(routes, ['/interaction/:id/method/id-card-password', '/auth/:id', '/account/:id']);
    assert.doesNotMatch(JSON.stringify(logs.lines()), new RegExp(`${uid}|13912345678|%E6%9D%8E`));
  });

  it('redacts any field named for a secret or personal data, wherever it is logged', () => {
    const err = Object.assign(new Error('refused'), { code: 'E_REFUSED' });
    log.info(
      { password: 'p1', idNumber: '110101199003077777', detail: { phone: '13912345678', authorization: 'Bearer x', cookie: 'a=b', deeper: { token: 't' } }, list: [{ pin: '1234' }], headers: { 'x-any': 'y' }, code: 3, err },
      'careless',
    );
    const [line, ...more] = logs.lines().filter((l) => l.msg === 'careless');
    assert.equal(more.length, 0);
    assert.equal(line!.password, '[redacted]');
    assert.equal(line!.idNumber, '[redacted]');
    assert.equal(line!.headers, '[redacted]');
    assert.deepEqual(line!.detail, { phone: '[redacted]', authorization: '[redacted]', cookie: '[redacted]', deeper: { token: '[redacted]' } });
    assert.deepEqual(line!.list, [{ pin: '[redacted]' }]);
    assert.deepEqual((line!.err as { type: string; code: string }).code, 'E_REFUSED', 'an error still goes through its serializer');
    assert.equal(line!.code, 3, 'an exit or error code is not a secret');
  });

  it('takes X-Request-Id from a trusted proxy only', async () => {
    const viaProxy = await request(behindProxy.issuer).get('/healthz').set('X-Request-Id', 'lb-7f3a.42');
    assert.equal(viaProxy.headers['x-request-id'], 'lb-7f3a.42');
    const shaped = await request(behindProxy.issuer).get('/healthz').set('X-Request-Id', 'two words\u00e9');
    assert.match(shaped.headers['x-request-id'] as string, UUID, 'an id that is not a plain token is replaced');
    const direct = await request(stack.issuer).get('/healthz').set('X-Request-Id', 'lb-7f3a.42');
    assert.match(direct.headers['x-request-id'] as string, UUID);
    assert.deepEqual(logs.lines().filter((l) => l.route === '/healthz'), [], 'health probes are not logged line by line');
  });

  it('logs an unexpected error in our pages once, with its request id', async () => {
    // a counter console session the store holds in a shape nobody wrote: a fault of ours
    const sessionId = randomBytes(24).toString('base64url');
    await stack.ctx.store.set(`counter:session:${sessionId}`, '{"personId":', 60);
    const res = await request(stack.issuer).get('/counter').set('Cookie', `tongban_counter=${sessionId}`);
    assert.equal(res.status, 500);
    const errors = linesOf(res.headers['x-request-id'] as string).filter((l) => l.level === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]!.msg, 'unexpected error');
    assert.equal(errors[0]!.path, '/counter');
    assert.equal((errors[0]!.err as { type: string }).type, 'SyntaxError');
    assert.doesNotMatch(JSON.stringify(errors), new RegExp(sessionId), 'not the cookie');
  });

  it("logs the provider's server_error once, with its request id", async () => {
    const token = randomBytes(32).toString('base64url');
    await stack.ctx.store.set(`oidc:AccessToken:{${token}}`, '{"accountId":', 60);
    const res = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${token}`);
    assert.equal(res.status, 500);
    assert.equal(res.body.error, 'server_error');
    const errors = linesOf(res.headers['x-request-id'] as string).filter((l) => l.level === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]!.event, 'server_error');
    assert.equal(errors[0]!.route, 'userinfo');
    assert.doesNotMatch(JSON.stringify(logs.lines()), new RegExp(token), 'never the token');
  });

  it('logs and audits a back-channel logout the department did not receive', async () => {
    const person = await enrolCitizen(stack, 'li-na', PASSWORD);
    const gone = await addClient(stack, 'dept-log-gone');
    const browser = new Browser(stack.issuer);
    const req = authUrl(gone.clientId, gone.redirectUri);
    const done = await throughConsent(browser, await passwordLogin(browser, (await browser.open(req.url)).text, person.idNumber, PASSWORD));
    const tokens = await redeem(stack.issuer, gone, { code: codeFrom(done.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);

    await gone.rp.close(); // the department's back-channel endpoint is gone
    const end = await browser.open(`/session/end?${new URLSearchParams({ id_token_hint: tokens.body.id_token, client_id: gone.clientId })}`);
    const out = await browser.submit(end.text, /session\/end\/confirm/, { logout: 'yes' });
    assert.ok(out.status < 400, `${out.status} ${out.text.slice(0, 300)}`);

    const subjectIndex = stack.ctx.cipher.blindIndex(INDEX_DOMAIN.idNumber, person.idNumber);
    let failed: Awaited<ReturnType<typeof stack.ctx.audit.listForSubject>> = [];
    for (let i = 0; i < 100 && failed.length === 0; i++) {
      failed = (await stack.ctx.audit.listForSubject(subjectIndex, 50)).filter((r) => r.type === 'logout.backchannel_failed');
      if (failed.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(failed.length, 1, 'one audit event');
    assert.equal(failed[0]!.clientId, gone.clientId);
    const warned = logs.lines().filter((l) => l.msg === 'back-channel logout not delivered');
    assert.equal(warned.length, 1);
    assert.equal(warned[0]!.clientId, gone.clientId);
  });
});
