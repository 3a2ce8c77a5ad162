/**
 * Every route the service serves — the provider's endpoints as discovery lists them, the ones it
 * serves unadvertised, and ours — gets a bounded, seeded set of malformed requests, with live
 * sessions where a route has one. None may be answered with a 5xx, and the service keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { openSessions, type Sessions } from './sessions.ts';
import { requestsFor, type Route } from './requests.ts';
import { closeAgent, sendAll, type FuzzRequest, type Outcome } from './send.ts';
import { seeded } from './inputs.ts';

// fixed, so CI sends the same requests every run; FUZZ_SEED explores others by hand
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x7b6e;
const METHOD_FIELDS = ['id_number', 'password', 'phone', 'code', 'card_no', 'pin', 'name', 'account', 'step', 'consent'];

/** The provider's endpoints, read from its discovery document. */
async function discoveredRoutes(stack: Stack, s: Sessions): Promise<{ routes: Route[]; names: string[] }> {
  const res = await fetch(`${stack.issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  const doc = (await res.json()) as Record<string, unknown>;
  const endpoints = Object.entries(doc).filter(
    (e): e is [string, string] => (e[0].endsWith('_endpoint') || e[0] === 'jwks_uri') && typeof e[1] === 'string' && e[1].startsWith(stack.issuer),
  );
  const routes: Route[] = [];
  for (const [name, url] of endpoints) {
    const path = url.slice(stack.issuer.length);
    routes.push({ method: 'GET', path }, { method: 'POST', path, body: 'form', fields: ['client_id', 'grant_type', 'code', 'token', 'user_code'] });
    // behind a valid client or token, the checks after authentication are reached too
    if (/^(token|introspection|revocation)_endpoint$/.test(name)) {
      routes.push({ method: 'POST', path, body: 'form', authorization: s.clientAuth, fields: ['grant_type', 'code', 'refresh_token', 'code_verifier', 'token', 'redirect_uri'] });
    }
    if (name === 'userinfo_endpoint') routes.push({ method: 'GET', path, authorization: `Bearer ${s.accessToken}` });
    if (name === 'device_authorization_endpoint') routes.push({ method: 'POST', path, body: 'form', fields: ['client_id', 'scope'], light: true });
  }
  return { routes, names: endpoints.map(([n]) => n) };
}

/** What the provider serves without listing it in discovery, and all of ours. */
function otherRoutes(stack: Stack, s: Sessions): Route[] {
  const live = { cookie: s.interaction.cookie, csrf: s.interaction.csrf, params: { uid: s.interaction.uid } };
  const routes: Route[] = [
    { method: 'GET', path: '/.well-known/openid-configuration' },
    { method: 'GET', path: '/device' },
    { method: 'POST', path: '/device', body: 'form', fields: ['xsrf', 'user_code', 'confirm', 'abort'] },
    { method: 'GET', path: '/device/:uid', params: { uid: 'abc' } },
    // the same with a signed-in single sign-on session
    { method: 'POST', path: '/device', body: 'form', fields: ['xsrf', 'user_code', 'confirm'], cookie: s.account.cookie, light: true },
    { method: 'GET', path: '/device/:uid', params: { uid: 'abc' }, cookie: s.account.cookie, light: true },
    { method: 'GET', path: '/auth', cookie: s.account.cookie, light: true },
    { method: 'GET', path: '/auth/:uid', params: { uid: s.interaction.uid }, cookie: s.interaction.cookie },
    { method: 'POST', path: '/session/end/confirm', body: 'form', fields: ['xsrf', 'logout'] },
    { method: 'GET', path: '/session/end/success' },
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/assets/site.css' },
    { method: 'GET', path: '/interaction/:uid', ...live },
  ];
  for (const [id, m] of stack.ctx.methods) {
    const light = id !== 'id-card-password';
    const at = { ...live, params: { uid: s.interaction.uid, id }, light };
    routes.push(
      { method: 'GET', path: '/interaction/:uid/method/:id', ...at },
      { method: 'POST', path: '/interaction/:uid/method/:id', body: 'form', fields: METHOD_FIELDS, ...at },
      { method: 'GET', path: '/interaction/:uid/callback/:id', ...at, light: true },
    );
    if (m.flows.enrol) {
      routes.push(
        { method: 'GET', path: '/interaction/:uid/enrol/:id', ...at, light: true },
        { method: 'POST', path: '/interaction/:uid/enrol/:id', body: 'form', fields: METHOD_FIELDS, ...at, light: true },
      );
    }
  }
  const account = { cookie: s.account.cookie };
  routes.push(
    { method: 'GET', path: '/account', ...account },
    { method: 'GET', path: '/account/callback', ...account },
    { method: 'POST', path: '/account/unbind', body: 'form', fields: ['credential'], csrf: s.account.csrf, ...account },
    { method: 'GET', path: '/account/bind/:id', params: { id: 'wechat' }, ...account },
    { method: 'GET', path: '/account/bind/:id/callback', params: { id: 'wechat' }, ...account },
  );
  const counter = { cookie: s.counter.cookie, csrf: s.counter.csrf };
  routes.push({ method: 'GET', path: '/counter', cookie: s.counter.cookie }, { method: 'GET', path: '/counter/callback', cookie: s.counter.cookie });
  for (const action of ['verify', 'close-visit', 'code', 'lockout', 'kiosk', 'requests']) {
    routes.push({ method: 'POST', path: '/counter/:action', params: { action }, body: 'form', fields: ['id_number', 'name', 'card_expiry', 'face_match', 'reason', 'user_code', 'phone'], light: action !== 'verify', ...counter });
  }
  routes.push({ method: 'POST', path: '/counter/:action/:id/:decision', params: { action: 'requests', id: 'r1', decision: 'approve' }, body: 'form', fields: ['reason'], ...counter });
  for (const name of ['approve', 'reject']) {
    routes.push({ method: 'POST', path: '/api/methods/:method/:name', params: { method: 'app-scan', name }, body: 'json', authorization: `Bearer ${s.accessToken}` });
  }
  routes.push({ method: 'POST', path: '/api/methods/:method/:name', params: { method: 'app-scan', name: 'approve' }, body: 'json', light: true });
  return routes;
}

/** Routes that end the sign-in they act on: fuzzed last, on a sign-in of their own. */
function endingRoutes(s: Sessions): Route[] {
  const spare = { cookie: s.spare.cookie, csrf: s.spare.csrf, params: { uid: s.spare.uid } };
  return [
    { method: 'POST', path: '/interaction/:uid/consent', body: 'form', fields: ['decision'], ...spare },
    { method: 'POST', path: '/interaction/:uid/abort', body: 'form', fields: ['decision'], ...spare },
  ];
}

function describeFailures(results: ReadonlyArray<FuzzRequest & Outcome>): string {
  return results
    .slice(0, 40)
    .map((r) => `  ${r.status} ${r.method} ${r.path.slice(0, 100)}  (${r.label})`)
    .join('\n');
}

describe('malformed requests on every route', { timeout: 240_000 }, () => {
  let stack: Stack;
  let sessions: Sessions;

  before(async () => {
    stack = await startStack({ weakArgon2: true });
    sessions = await openSessions(stack);
  });
  after(async () => {
    closeAgent();
    await sessions?.client.rp.close();
    await stack?.close();
  });

  it('answers none of them with a 5xx, and still serves afterwards', async (t) => {
    const r = seeded(SEED);
    const discovered = await discoveredRoutes(stack, sessions);
    for (const expected of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'device_authorization_endpoint']) {
      assert.ok(discovered.names.includes(expected), `discovery lists ${expected}`);
    }
    const base = new URL(stack.issuer);
    const main = [...discovered.routes, ...otherRoutes(stack, sessions)].flatMap((route) => requestsFor(route, r));
    const ending = endingRoutes(sessions).flatMap((route) => requestsFor(route, r));
    const results = [...(await sendAll(base, main)), ...(await sendAll(base, ending))];
    const byStatus = new Map<number, number>();
    for (const x of results) byStatus.set(x.status, (byStatus.get(x.status) ?? 0) + 1);
    t.diagnostic(`seed ${SEED}: ${results.length} requests on ${discovered.routes.length + otherRoutes(stack, sessions).length + 2} routes; statuses ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);

    const failed = results.filter((x) => x.status >= 500);
    assert.equal(failed.length, 0, `${failed.length} of ${results.length} malformed requests got a 5xx:\n${describeFailures(failed)}`);
    // the requests reached the service: most got an answer, and not all the same one
    const answered = results.filter((x) => x.status > 0);
    assert.ok(answered.length > results.length * 0.9, `${results.length - answered.length} requests got no answer`);
    assert.ok(new Set(answered.map((x) => x.status)).size >= 6, 'a range of statuses, not one blanket refusal');

    // the service runs in this process: a polluted prototype would show here
    for (const key of ['polluted', 'x']) assert.equal(Object.hasOwn(Object.prototype, key), false, `Object.prototype.${key} was set`);

    const health = await fetch(`${stack.issuer}/healthz`);
    assert.equal(health.status, 200);
    const account = await fetch(`${stack.issuer}/account`, { headers: { cookie: sessions.account.cookie('/account') }, redirect: 'manual' });
    assert.equal(account.status, 200, 'the signed-in account page still opens');
  });
});
