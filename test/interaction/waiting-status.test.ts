/** A waiting page's status route (what its script asks instead of reloading the page): JSON, never a page. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { Browser } from '../support/browser.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { confirmInApp, expireRequest, idTokenOf, openQr, pollPathOf, qrUrlOf } from '../providers/gov-eid/steps.ts';

const statusOf = (pollPath: string) => pollPath.replace('?step=', '/status?step=');

async function askStatus(browser: Browser, path: string) {
  const res = await browser.agent.get(path).set('Accept', 'application/json').redirects(0);
  assert.match(String(res.headers['content-type']), /application\/json/, `JSON from ${path}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.equal(res.headers['cache-control'], 'no-store');
  return { status: res.status, body: res.body as Record<string, string> };
}

describe('waiting page status route', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'wait-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('says waiting while the citizen has not confirmed, then where to go next, and the sign-in completes there', async () => {
    const browser = new Browser(stack.issuer);
    const { req, page } = await openQr(browser, client);
    const status = statusOf(pollPathOf(page));
    assert.deepEqual((await askStatus(browser, status)).body, { state: 'waiting' });
    assert.deepEqual((await askStatus(browser, status)).body, { state: 'waiting' }, 'asking again changes nothing');

    assert.equal((await confirmInApp(qrUrlOf(page), citizen('chen-jing').key)).status, 200);
    const done = await askStatus(browser, status);
    assert.equal(done.body.state, 'done');
    assert.match(done.body.next!, new RegExp(`^${stack.issuer.replace(/[.:/]/g, '\\$&')}/auth/`));
    const idt = await idTokenOf(stack, client, req, await browser.open(done.body.next!));
    assert.equal(idt.acr, 'urn:tongban:loa:3');
  });

  it('says why when the confirmation can no longer come, in the page language', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client, { ui_locales: 'en' });
    await expireRequest(stack, page);
    const failed = await askStatus(browser, `${statusOf(pollPathOf(page))}&lang=en`);
    assert.equal(failed.body.state, 'failed');
    assert.ok(failed.body.code, 'a stable code');
    assert.match(failed.body.message!, /[A-Za-z]/);
    assert.doesNotMatch(failed.body.message!, /[\u4e00-\u9fff]/, 'English words on the English page');
  });

  it('refuses a status question without the step it waits on (400, never a 500)', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    const res = await browser.agent.get(statusOf(pollPathOf(page)).replace(/\?.*$/, '')).set('Accept', 'application/json');
    assert.equal(res.status, 400);
  });
});
