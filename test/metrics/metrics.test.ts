/**
 * Metrics: a listener of its own (loopback by default, never the public port) serving process
 * metrics and the service's tongban_ series, each moved by exactly what a real flow did: a
 * password sign-in, wrong passwords until a rate limit refuses, a client_credentials grant, text
 * messages through the SMS gateway (sent and failed), an audit append, a client reload and a
 * back-channel logout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { freePort } from '../support/own-process.ts';
import { redeem, throughConsent } from '../faults/outage-steps.ts';
import { bindPhone, failNext, latestCode, openMethod, resetSandbox } from '../providers/sms-otp/steps.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { serveMetrics } from '../../src/metrics/index.ts';
import { scrape } from './scrape.ts';
import { boundAddressesOf } from './listening.ts';

const PASSWORD = 'Lantern2026bridge';
const SIGN_INS = 'tongban_sign_ins_total';

/**
 * A port found free can be taken by another test process (or an outgoing connection) before the
 * listener binds it: take another one then.
 */
async function onFreePort<T>(listen: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(await freePort());
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== 'EADDRINUSE' || attempt === 5) throw err;
    }
  }
}

describe('metrics', () => {
  let stack: Stack;
  let client: TestClient;
  let metrics: { url?: string; close(): Promise<void> };
  let url: string;

  before(async () => {
    stack = await startStack({
      // METRICS_HOST left unset: the listener's address is the configuration's default
      env: { METRICS_PORT: String(await freePort()) },
      // two wrong passwords from one address, then that pair waits
      rateScopes: { pair: { threshold: 2, windowSeconds: 600, baseSeconds: 600, maxSeconds: 600 } },
    });
    metrics = await onFreePort((port) => serveMetrics({ metrics: { ...stack.ctx.config.metrics!, port } }, 'process'));
    url = metrics.url!;
    client = await addClient(stack, 'dept-metrics');
    await enrolCitizen(stack, 'li-na', PASSWORD);
    await enrolCitizen(stack, 'wang-fang', PASSWORD);
    await bindPhone(stack, 'zhang-wei');
  });
  after(async () => {
    await metrics?.close();
    await client?.rp.close();
    await stack?.close();
  });

  it('listens on 127.0.0.1 unless told otherwise, apart from the public listener', async () => {
    assert.equal(stack.ctx.config.metrics!.host, '127.0.0.1');
    const port = Number(new URL(url).port);
    assert.equal(url, `http://127.0.0.1:${port}/metrics`);
    assert.deepEqual(await boundAddressesOf(port), ['127.0.0.1'], 'bound to loopback only');
    const { page } = await scrape(url);
    assert.match(page, /^process_cpu_user_seconds_total \d/m, 'process metrics');
    assert.match(page, /^nodejs_eventloop_lag_seconds \d/m);
    for (const name of [SIGN_INS, 'tongban_authority_call_duration_seconds', 'tongban_token_grants_total', 'tongban_rate_limit_refusals_total', 'tongban_audit_append_duration_seconds', 'tongban_backchannel_logouts_total', 'tongban_cache_reloads_total']) {
      assert.match(page, new RegExp(`^# TYPE ${name} (counter|histogram)$`, 'm'), name);
    }
    // the password hasher's line: nothing running or waiting between sign-ins
    assert.match(page, /^# TYPE tongban_password_hashes gauge$/m);
    assert.match(page, /^tongban_password_hashes\{state="running"\} 0$/m);
    assert.match(page, /^tongban_password_hashes\{state="waiting"\} 0$/m);
    const publicSide = await request(stack.issuer).get('/metrics');
    assert.equal(publicSide.status, 404, 'the public listener does not serve metrics');
    assert.doesNotMatch(publicSide.text, /tongban_|process_cpu/);
    assert.equal((await fetch(url.replace('/metrics', '/'))).status, 404, 'the metrics listener serves /metrics only');
  });

  it('counts a password sign-in by method, level and outcome, and the code grant that follows', async () => {
    const before = await scrape(url);
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const done = await throughConsent(browser, await passwordLogin(browser, (await browser.open(req.url)).text, citizen('li-na').idNumber, PASSWORD));
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(done.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const later = await scrape(url);
    assert.equal(before.delta(later, SIGN_INS, { method: 'id-card-password', level: '1', outcome: 'success' }), 1);
    assert.equal(before.delta(later, SIGN_INS, { method: 'id-card-password', level: '1', outcome: 'failure' }), 0);
    assert.equal(before.delta(later, 'tongban_token_grants_total', { grant_type: 'authorization_code', outcome: 'issued' }), 1);
  });

  it('counts client_credentials grants by type, and a made-up grant type as other', async () => {
    const before = await scrape(url);
    const granted = await request(stack.issuer).post('/token').set('Authorization', basic(client)).type('form').send({ grant_type: 'client_credentials' });
    assert.equal(granted.status, 200, granted.text);
    const bogus = await request(stack.issuer).post('/token').set('Authorization', basic(client)).type('form').send({ grant_type: 'urn:example:made-up' });
    assert.equal(bogus.status, 400, bogus.text);
    const later = await scrape(url);
    assert.equal(before.delta(later, 'tongban_token_grants_total', { grant_type: 'client_credentials', outcome: 'issued' }), 1);
    assert.equal(before.delta(later, 'tongban_token_grants_total', { grant_type: 'other', outcome: 'refused' }), 1);
    assert.doesNotMatch(later.page, /made-up/, 'a caller cannot add a label value');
  });

  it('counts wrong passwords as failures and the refusal by the scope that refused', async () => {
    const before = await scrape(url);
    const browser = new Browser(stack.issuer);
    const idNumber = citizen('wang-fang').idNumber;
    for (let i = 0; i < 2; i++) {
      const wrong = await passwordLogin(browser, (await browser.open(authUrl(client.clientId, client.redirectUri).url)).text, idNumber, 'not-the-password');
      assert.equal(wrong.status, 401, wrong.text.slice(0, 300));
    }
    const refused = await passwordLogin(browser, (await browser.open(authUrl(client.clientId, client.redirectUri).url)).text, idNumber, PASSWORD);
    assert.equal(refused.status, 429, refused.text.slice(0, 300));
    const later = await scrape(url);
    assert.equal(before.delta(later, SIGN_INS, { method: 'id-card-password', level: '1', outcome: 'failure' }), 2);
    assert.equal(before.delta(later, SIGN_INS, { method: 'id-card-password', level: '1', outcome: 'rate_limited' }), 1);
    assert.equal(before.delta(later, 'tongban_rate_limit_refusals_total', { scope: 'pair' }), 1);
    for (const scope of ['id', 'id-day', 'ip']) assert.equal(before.delta(later, 'tongban_rate_limit_refusals_total', { scope }), 0, scope);
  });

  it('times authority calls by authority and outcome', async () => {
    await resetSandbox(stack);
    const phone = citizen('zhang-wei').phone!;
    const count = 'tongban_authority_call_duration_seconds_count';
    const before = await scrape(url);
    const browser = new Browser(stack.issuer);
    const sent = await browser.submit((await openMethod(browser, authUrl(client.clientId, client.redirectUri).url, 'sms-otp')).text, /method\/sms-otp/, { phone });
    assert.equal(sent.status, 200);
    const done = await browser.submit(sent.text, /method\/sms-otp/, { code: await latestCode(stack, phone) });
    assert.ok(done.location?.startsWith(client.redirectUri) || /consent/.test(done.text), `signed in (${done.status})`);
    const middle = await scrape(url);
    assert.equal(before.delta(middle, count, { authority: 'sms-gateway', outcome: 'ok' }), 1);
    assert.equal(before.delta(middle, SIGN_INS, { method: 'sms-otp', level: '1', outcome: 'success' }), 1);

    await failNext(stack, 'sms', 'error', 1);
    const other = new Browser(stack.issuer);
    await other.submit((await openMethod(other, authUrl(client.clientId, client.redirectUri).url, 'sms-otp')).text, /method\/sms-otp/, { phone });
    const later = await scrape(url);
    assert.equal(middle.delta(later, count, { authority: 'sms-gateway', outcome: 'http' }), 1);
    assert.equal(middle.delta(later, count, { authority: 'sms-gateway', outcome: 'ok' }), 0);
    assert.ok(later.page.includes('tongban_authority_call_duration_seconds_bucket{le="0.025",authority="sms-gateway",outcome="ok"}'), 'latency buckets');
  });

  it('times audit appends and counts client reloads', async () => {
    const before = await scrape(url);
    await stack.ctx.audit.record({ type: 'login.failed', method: 'id-card-password', reason: 'login_failed', clientId: client.clientId });
    await stack.ctx.clients.reload();
    const later = await scrape(url);
    assert.equal(before.delta(later, 'tongban_audit_append_duration_seconds_count', { kind: 'record' }), 1);
    assert.ok(before.delta(later, 'tongban_audit_append_duration_seconds_sum', { kind: 'record' }) > 0);
    assert.equal(before.delta(later, 'tongban_cache_reloads_total', { cache: 'clients', outcome: 'ok' }), 1);
    assert.ok(later.page.includes('tongban_cache_reloads_total{cache="policy",outcome="ok"}'), 'the policy loaded at start-up');
  });

  it('counts back-channel logouts delivered and failed', async () => {
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const page = await browser.open(req.url);
    const done = await throughConsent(browser, /method\/id-card-password/.test(page.text) ? await passwordLogin(browser, page.text, citizen('li-na').idNumber, PASSWORD) : page);
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(done.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const before = await scrape(url);
    const end = await browser.open(`/session/end?${new URLSearchParams({ id_token_hint: tokens.body.id_token, client_id: client.clientId })}`);
    const out = await browser.submit(end.text, /session\/end\/confirm/, { logout: 'yes' });
    assert.ok(out.status < 400, `${out.status} ${out.text.slice(0, 300)}`);
    let later = await scrape(url);
    for (let i = 0; i < 100 && before.delta(later, 'tongban_backchannel_logouts_total', { outcome: 'delivered' }) === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      later = await scrape(url);
    }
    assert.equal(before.delta(later, 'tongban_backchannel_logouts_total', { outcome: 'delivered' }), 1);
    assert.equal(before.delta(later, 'tongban_backchannel_logouts_total', { outcome: 'failed' }), 0);
  });
});
