/** Password sign-in: one answer for unknown and wrong, back-off with a capped lockout. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { makeIdNumber } from '../../../src/crypto/id-number.ts';

describe('id-card-password sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Harbour2026light';
  const who = citizen('huang-qiang');

  before(async () => {
    stack = await startStack({
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

  it('gives an unknown ID number and a wrong password the same answer after about the same time', async () => {
    const browser = new Browser(stack.issuer);
    const page = await formPage(browser);
    const stranger = makeIdNumber('310101', '1970-01-01', 555);
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 2; i++) {  // two of each: five wrong tries would start the back-off
      const u = await attempt(browser, page, stranger, 'Whatever2026x');
      const w = await attempt(browser, page, who.idNumber, `Wrong2026x${i}`);
      assert.equal(u.status, 401);
      assert.equal(w.status, 401);
      assert.match(u.text, /login_failed/);
      assert.match(w.text, /login_failed/);
      assert.equal(u.text.replace(/value="[^"]*"/g, ''), w.text.replace(/value="[^"]*"/g, ''), 'identical pages');
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    const ratio = Math.min(...unknown) / Math.min(...wrong); // minimum: the least disturbed by other load
    assert.ok(ratio > 0.4 && ratio < 2.5, `timing ratio ${ratio.toFixed(2)} (unknown ${unknown}, wrong ${wrong})`);
  });

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
    await new Promise((r) => setTimeout(r, 2200));
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
