/** Steps and checks shared by the store-outage tests. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { Browser } from '../support/browser.ts';
import { basic, type TestClient } from '../support/clients.ts';

/** The chooser of a new authorization request, then the password method's form. */
export async function passwordForm(browser: Browser, authPath: string) {
  const chooser = await browser.open(authPath);
  assert.equal(chooser.status, 200, chooser.text.slice(0, 400));
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/);
  assert.ok(link, 'the chooser offers the password method');
  const form = await browser.open(link[1]!);
  assert.equal(form.status, 200);
  return form;
}

/** After the method: the consent page, when the department asks for the first time, then back to it. */
export async function throughConsent(browser: Browser, page: { status: number; text: string; location?: string }) {
  if (page.location || !/\/consent"/.test(page.text)) return page;
  return browser.submit(page.text, /consent/, { decision: 'allow' });
}

/** The outage page: 503, says "temporarily unavailable", offers a retry; blames nobody. */
export function assertUnavailablePage(page: { status: number; text: string }, what: string): void {
  assert.equal(page.status, 503, `${what}: ${page.text.slice(0, 300)}`);
  assert.match(page.text, /服务暂时不可用，请稍后再试。/, what);
  assert.match(page.text, /temporarily_unavailable/, what);
  assert.match(page.text, /<a class="button" href="\/[^"]*">重试<\/a>/, `${what}: a way to retry`);
  assert.doesNotMatch(page.text, /过期|无效|expired|not valid|server_error/, `${what}: an outage is nobody's mistake`);
}

export function assertUnavailableJson(res: request.Response, what: string): void {
  assert.equal(res.status, 503, `${what}: ${res.text}`);
  assert.equal(res.body.error, 'temporarily_unavailable', what);
  assert.equal(res.headers['retry-after'], '5', what);
}

export function redeem(issuer: string, client: TestClient, issued: { code: string; verifier: string }) {
  return request(issuer)
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'authorization_code', code: issued.code, redirect_uri: client.redirectUri, code_verifier: issued.verifier })
    .timeout(15_000);
}

/** Polls /readyz until the service says it is ready again (it reconnects by itself). */
export async function waitUntilReady(issuer: string): Promise<void> {
  for (let i = 0; ; i++) {
    const res = await request(issuer).get('/readyz').timeout(15_000);
    if (res.status === 200) return;
    if (i > 150) assert.fail(`not ready 15 s after the store came back: ${res.text}`);
    await sleep(100);
  }
}
