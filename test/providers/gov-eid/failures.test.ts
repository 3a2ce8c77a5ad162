/** Every way a gov-eid sign-in can go wrong ends in a stable code or "unavailable", with nothing written. */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { Browser } from '../../support/browser.ts';
import type { Page } from '../contract/driver.ts';
import { challengeKey } from '../../../src/interaction/method-context.ts';
import {
  answerVerbatim,
  answerWith,
  assertionOf,
  confirmInApp,
  expireRequest,
  failNext,
  openQr,
  pollPathOf,
  qrUrlOf,
  requestIdOf,
} from './steps.ts';

describe('gov-eid failures', () => {
  let stack: Stack;
  let client: TestClient;
  const count = async (table: string) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
  const written = async () => [await count('persons'), await count('credentials')];

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'eid-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  afterEach(async () => {
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  });

  /** Opens a QR, lets `answer` make the platform's answer, polls once. */
  async function attempt(answer: (page: Page) => Promise<unknown>): Promise<{ first: Page; res: Page }> {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    await answer(page);
    return { first: page, res: await browser.open(pollPathOf(page)) };
  }

  function refused(res: Page, code: string, status = code.startsWith('gov_eid_') ? 401 : 400): void {
    assert.equal(res.location, undefined, 'no code for the client');
    assert.equal(res.status, status, res.text.slice(0, 300));
    assert.match(res.text, new RegExp(code));
  }

  it('refuses an assertion made for another app (audience)', async () => {
    const before = await written();
    const { res } = await attempt((p) => answerWith(stack, p, 'zhao-min', { aud: 'some-other-app' }));
    refused(res, 'gov_eid_invalid_assertion');
    assert.deepEqual(await written(), before);
  });

  it('refuses an assertion for another challenge (nonce) and from another issuer', async () => {
    const before = await written();
    for (const claims of [{ nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }, { iss: 'https://impostor.example/eid' }] as Record<string, string>[]) {
      const { res } = await attempt((p) => answerWith(stack, p, 'zhao-min', claims));
      refused(res, 'gov_eid_invalid_assertion');
    }
    assert.deepEqual(await written(), before);
  });

  it('refuses an assertion issued in the future or living longer than five minutes', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [{ iat: now + 120, exp: now + 240 }, { iat: now, exp: now + 600 }]) {
      const { res } = await attempt((p) => answerWith(stack, p, 'zhao-min', claims));
      refused(res, 'gov_eid_invalid_assertion');
    }
  });

  it('refuses the same assertion replayed in a second interaction', async () => {
    const first = await attempt((p) => confirmInApp(qrUrlOf(p), 'yang-lei'));
    assert.ok(first.res.location?.startsWith(client.redirectUri), `first sign-in works (${first.res.status})`);
    const used = await assertionOf(stack, requestIdOf(first.first));
    const before = await written();
    const { res } = await attempt((p) => answerVerbatim(stack, p, used));
    refused(res, 'gov_eid_replay');
    assert.deepEqual(await written(), before);
  });

  it('treats an expired assertion, an expired platform request and a lost challenge as expired, with a fresh QR', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await attempt((p) => answerWith(stack, p, 'zhao-min', { iat: now - 400, exp: now - 100 }));
    refused(stale.res, 'challenge_expired');
    assert.notEqual(requestIdOf(stale.res), requestIdOf(stale.first), 'a new QR to scan');

    const expired = await attempt((p) => expireRequest(stack, p));
    refused(expired.res, 'challenge_expired');

    const lost = await attempt(async (p) => {
      const uid = pollPathOf(p).split('/')[2]!;
      await stack.ctx.store.del([challengeKey(uid, 'gov-eid', 'login')]);
      await confirmInApp(qrUrlOf(p), 'zhao-min');
    });
    refused(lost.res, 'challenge_expired');
  });

  it('lets only one of two concurrent polls use a confirmed challenge', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    await confirmInApp(qrUrlOf(page), 'xu-li');
    const both = await Promise.all([browser.open(pollPathOf(page)), browser.open(pollPathOf(page))]);
    assert.equal(both.filter((r) => r.location?.startsWith(client.redirectUri)).length, 1, `statuses ${both.map((r) => r.status)}`);
  });

  it('answers a badly signed assertion with "unavailable", audited as a signature failure, writing nothing', async () => {
    const before = await written();
    await failNext(stack, 'bad_signature', 1);
    const { res } = await attempt((p) => confirmInApp(qrUrlOf(p), 'liu-yang'));
    refused(res, 'method_unavailable', 503);
    assert.deepEqual(await written(), before);
    const { rows } = await stack.ctx.db.query<{ data: { authority: string; kind: string; method: string } }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable'",
    );
    assert.ok(rows.some((r) => r.data.authority === 'eid' && r.data.kind === 'signature' && r.data.method === 'gov-eid'));
  });

  it('is "unavailable, try another" when the platform is down, slow or answers garbage', async () => {
    const before = await written();
    // down before the QR can be made
    await failNext(stack, 'error', 5);
    const chooser = await openQr(new Browser(stack.issuer), client);
    refused(chooser.page, 'method_unavailable', 503);
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
    // down, slow or garbled while the page polls
    for (const mode of ['error', 'timeout', 'malformed'] as const) {
      const browser = new Browser(stack.issuer);
      const { page } = await openQr(browser, client);
      await confirmInApp(qrUrlOf(page), 'liu-yang');
      await failNext(stack, mode, 2);
      refused(await browser.open(pollPathOf(page)), 'method_unavailable', 503);
      await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
    }
    assert.deepEqual(await written(), before);
  });
});
