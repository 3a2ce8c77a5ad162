/** Password sign-in: one answer for unknown and wrong, back-off with a capped lockout. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { makeIdNumber } from '../../../src/crypto/id-number.ts';
import { compareTimings, describeTimings } from '../../support/timing.ts';
import { roomyScopes } from '../../support/limits.ts';

describe('id-card-password sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Harbour2026light';
  const who = citizen('huang-qiang');

  let now = Date.now();

  before(async () => {
    stack = await startStack({
      clock: () => now,
      // short back-off so the cap can be observed in a test; the shape is the production one
      rateScopes: {
        id: { threshold: 3, windowSeconds: 60, baseSeconds: 1, maxSeconds: 2 },
        ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
        enrol: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
      },
    });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await enrolCitizen(stack, 'huang-qiang', password);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function formPage(browser: Browser): Promise<string> {
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)!;
    return (await browser.open(link[1]!)).text;
  }

  async function attempt(browser: Browser, page: string, id: string, pw: string) {
    const t = process.hrtime.bigint();
    const res = await browser.submit(page, /method\/id-card-password/, { id_number: id, password: pw });
    return { ...res, ms: Number(process.hrtime.bigint() - t) / 1e6 };
  }

  it('backs off after repeated failures, says when to retry, and the lockout ends by itself', async () => {
    const browser = new Browser(stack.issuer);
    const page = await formPage(browser);
    const target = citizen('zhou-xiuying');
    await enrolCitizen(stack, 'zhou-xiuying', password);
    let last = await attempt(browser, page, target.idNumber, 'Bad2026pass');
    for (let i = 0; i < 4 && last.status !== 429; i++) last = await attempt(browser, page, target.idNumber, 'Bad2026pass');
    assert.equal(last.status, 429);
    assert.match(last.text, /rate_limited/);
    assert.match(last.text, /秒后再试/);
    // during the lockout even the right password is refused, without an argon2 verification
    const locked = await attempt(browser, page, target.idNumber, password);
    assert.equal(locked.status, 429);
    // the cap (2 s here, 5 minutes in production) bounds how long a stranger can lock someone out
    now += 2200;
    const ok = await attempt(browser, page, target.idNumber, password);
    assert.ok(ok.location?.startsWith(client.redirectUri), `signed in after the lockout (${ok.status})`);
  });

  it('audits failures without the ID number', async () => {
    const { rows } = await stack.ctx.db.query<{ type: string; data: unknown }>(
      "SELECT type, data FROM audit_log WHERE type IN ('login.failed', 'login.rate_limited', 'login.succeeded')",
    );
    assert.ok(rows.some((r) => r.type === 'login.failed'));
    assert.ok(rows.some((r) => r.type === 'login.rate_limited'));
    assert.ok(!JSON.stringify(rows).includes(who.idNumber));
  });
});

describe('id-card-password sign-in timing', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Harbour2026light';
  const who = citizen('huang-qiang');

  before(async () => {
    stack = await startStack({
      // timing is the subject: production-strength argon2, and no back-off in the way of the samples
      weakArgon2: false,
      rateScopes: roomyScopes,
    });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await enrolCitizen(stack, 'huang-qiang', password);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('gives an unknown ID number and a wrong password the same answer after about the same time', async () => {
    const browser = new Browser(stack.issuer);
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const page = (await browser.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!)).text;
    const stranger = makeIdNumber('310101', '1970-01-01', 555);
    const texts: string[] = [];
    const tryOnce = async (id: string, pw: string) => {
      const res = await browser.submit(page, /method\/id-card-password/, { id_number: id, password: pw });
      assert.equal(res.status, 401);
      assert.match(res.text, /login_failed/);
      texts.push(res.text.replace(/value="[^"]*"/g, ''));
    };
    // the unknown ID number must pay for an argon2 verification (of a dummy hash) like a wrong password
    const c = await compareTimings(
      18,
      (i) => tryOnce(stranger, `Whatever2026x${i}`),
      (i) => tryOnce(who.idNumber, `Wrong2026x${i}`),
    );
    assert.equal(new Set(texts).size, 1, 'identical pages');
    assert.ok(c.ratio > 0.6 && c.ratio < 1.6, describeTimings(c));
  });
});
