/**
 * Every gov-eid QR is a request to the eID platform that is paid for: one address opening the
 * page again and again is refused after the limit, before any further platform request, and
 * the chooser says when to try again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { Browser } from '../../support/browser.ts';
import { DEFAULT_SCOPES } from '../../../src/policy/rate-limit.ts';
import { openQr, requestIdOf } from './steps.ts';

const LIMIT = 3;

describe('gov-eid: platform requests per address', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack({ rateScopes: { ...DEFAULT_SCOPES, authority: { threshold: LIMIT, windowSeconds: 600, baseSeconds: 60, maxSeconds: 600 } } });
    client = await addClient(stack, 'eid-limit-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it(`makes ${LIMIT} platform requests, then refuses the next page with the chooser and a time to wait`, async () => {
    const requests = new Set<string>();
    for (let i = 0; i < LIMIT; i++) {
      const { page } = await openQr(new Browser(stack.issuer), client);
      assert.equal(page.status, 200);
      requests.add(requestIdOf(page));
    }
    assert.equal(requests.size, LIMIT, 'each page a new platform request');

    const { page } = await openQr(new Browser(stack.issuer), client);
    assert.equal(page.status, 429);
    assert.doesNotMatch(page.text, /<svg class="qr"/, 'no QR, so no platform request');
    assert.match(page.text, /尝试次数过多，请在 \d+ 秒后再试/);
    assert.match(page.text, /href="\/interaction\/[^"]+\/method\/sms-otp"/, 'the other methods are still offered');

    const audited = await stack.ctx.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_log WHERE type = 'login.rate_limited' AND data->>'method' = 'gov-eid' AND data->>'scope' = 'start'`,
    );
    assert.equal(audited.rows[0]!.n, '1');
  });
});
