/** Text-code sign-in: one answer for every number, single-use codes, attempts, expiry, resend wait, back-off. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { compareTimings, describeTimings } from '../../support/timing.ts';
import { roomyScopes } from '../../support/limits.ts';
import { bindPhone, expireChallenge, latestCode, openMethod, outbox, resetSandbox, wrongCode } from './steps.ts';

const SMS = /method\/sms-otp/;
const STRANGER = '13700000001';

describe('sms-otp sign-in', () => {
  let stack: Stack;
  let client: TestClient;

  let now = Date.now();

  before(async () => {
    stack = await startStack({
      clock: () => now,
      // short back-off and a small daily cap so both can be seen in a test; the shapes are the production ones
      rateScopes: {
        id: { threshold: 6, windowSeconds: 60, baseSeconds: 1, maxSeconds: 2 },
        // every test comes from one address: what is seen here is the per-number limit and the attempt count
        pair: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
        ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
        'daily-number': { threshold: 3, windowSeconds: 86400, baseSeconds: 86400, maxSeconds: 86400 },
        'daily-ip': { threshold: 1000, windowSeconds: 86400, baseSeconds: 86400, maxSeconds: 86400 },
      },
    });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    const bound = ['zhang-wei', 'huang-qiang', 'zhou-xiuying', 'wu-haoran', 'wang-fang', 'li-na', 'liu-yang', 'chen-jing', 'yang-lei'];
    for (const key of bound) await bindPhone(stack, key);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(() => resetSandbox(stack));

  const open = (browser: Browser) => openMethod(browser, authUrl(client.clientId, client.redirectUri).url, 'sms-otp');
  const signedIn = (p: { location?: string }) => p.location?.startsWith(client.redirectUri) === true;
  // what may differ between two answers: hidden tokens and the masked number
  const shape = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/\d{3}\*{4}\d{4}/g, '').replace(/\/interaction\/[^/"]+/g, '');

  it('signs in with a bound number and the texted code', async () => {
    const phone = citizen('zhang-wei').phone!;
    const browser = new Browser(stack.issuer);
    const sent = await browser.submit((await open(browser)).text, SMS, { phone });
    assert.equal(sent.status, 200);
    assert.match(sent.text, /139\*\*\*\*5678/);
    assert.equal((await outbox(stack, phone)).length, 1);
    const done = await browser.submit(sent.text, SMS, { code: await latestCode(stack, phone) });
    assert.ok(signedIn(done), `signed in (${done.status})`);
  });

  it('gives an unknown number the same page, texts nothing, and fails its code like a wrong one', async () => {
    const known = new Browser(stack.issuer);
    const unknown = new Browser(stack.issuer);
    const k = await known.submit((await open(known)).text, SMS, { phone: citizen('huang-qiang').phone! });
    const u = await unknown.submit((await open(unknown)).text, SMS, { phone: STRANGER });
    assert.equal(u.status, k.status);
    assert.equal(shape(u.text), shape(k.text), 'identical pages');
    assert.match(u.text, /如果该号码已绑定通办 ID/);
    // the note under the code field hedges too, for every number alike: nothing claims a code was sent
    for (const page of [k.text, u.text]) {
      assert.match(page, /如果 1\d\d\*{4}\d{4} 已绑定通办 ID，验证码已发送至该号码/);
      assert.doesNotMatch(page, /验证码已发送至 1/);
    }
    assert.deepEqual(await outbox(stack, STRANGER), [], 'nothing texted');
    // an unbound citizen's real number is no different
    const unbound = new Browser(stack.issuer);
    const z = await unbound.submit((await open(unbound)).text, SMS, { phone: citizen('zhao-min').phone! });
    assert.equal(shape(z.text), shape(k.text));
    assert.deepEqual(await outbox(stack, citizen('zhao-min').phone!), []);

    // its code step fails like a wrong one (the timing is compared in its own suite below)
    const x = await unknown.submit(u.text, SMS, { code: '123456' });
    const w = await known.submit(k.text, SMS, { code: wrongCode(await latestCode(stack, citizen('huang-qiang').phone!)) });
    assert.equal(x.status, 401);
    assert.equal(w.status, 401);
    assert.match(x.text, /otp_invalid/);
    assert.equal(shape(x.text), shape(w.text));
  });

  it('refuses a wrong code, then accepts the right one once even when it is submitted twice at once', async () => {
    const phone = citizen('zhou-xiuying').phone!;
    const browser = new Browser(stack.issuer);
    const sent = await browser.submit((await open(browser)).text, SMS, { phone });
    const code = await latestCode(stack, phone);
    const wrong = await browser.submit(sent.text, SMS, { code: wrongCode(code) });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /otp_invalid/);
    // the right code twice at once: one login, the other refused
    const both = await Promise.all([browser.submit(wrong.text, SMS, { code }), browser.submit(wrong.text, SMS, { code })]);
    assert.equal(both.filter(signedIn).length, 1, both.map((b) => b.status).join(','));
  });

  it('refuses a used code replayed in a later interaction', async () => {
    const phone = citizen('wu-haoran').phone!;
    const browser = new Browser(stack.issuer);
    const sent = await browser.submit((await open(browser)).text, SMS, { phone });
    const code = await latestCode(stack, phone);
    assert.ok(signedIn(await browser.submit(sent.text, SMS, { code })));
    // a used code is worth nothing in the next interaction for the same number
    const other = new Browser(stack.issuer);
    const next = await other.submit((await open(other)).text, SMS, { phone });
    assert.equal(next.status, 200);
    assert.notEqual(await latestCode(stack, phone), code);
    const res = await other.submit(next.text, SMS, { code });
    assert.equal(signedIn(res), false);
    assert.match(res.text, /otp_invalid/);
  });

  it('gives up after five wrong codes, even for the right one', async () => {
    const phone = citizen('wang-fang').phone!;
    const browser = new Browser(stack.issuer);
    let page = (await browser.submit((await open(browser)).text, SMS, { phone })).text;
    const code = await latestCode(stack, phone);
    for (let i = 0; i < 5; i++) {
      const r = await browser.submit(page, SMS, { code: wrongCode(code) });
      assert.match(r.text, /otp_invalid/, `attempt ${i + 1}`);
      page = r.text;
    }
    const res = await browser.submit(page, SMS, { code });
    assert.equal(signedIn(res), false);
    assert.match(res.text, /otp_expired/);
  });

  it('refuses a code whose challenge expired', async () => {
    const phone = citizen('li-na').phone!;
    const browser = new Browser(stack.issuer);
    const first = await open(browser);
    const sent = await browser.submit(first.text, SMS, { phone });
    await expireChallenge(stack, first.uid, 'sms-otp');
    const res = await browser.submit(sent.text, SMS, { code: await latestCode(stack, phone) });
    assert.equal(res.status, 400);
    assert.match(res.text, /otp_expired/);
    assert.match(res.text, /name="phone"/, 'back to the number form');
  });

  it('makes a resend wait, and the wait applies to sending again from the number form too', async () => {
    const phone = citizen('liu-yang').phone!;
    const browser = new Browser(stack.issuer);
    const first = await open(browser);
    const sent = await browser.submit(first.text, SMS, { phone });
    const resend = await browser.submit(sent.text, SMS, { action: 'resend' });
    assert.equal(resend.status, 429);
    assert.match(resend.text, /otp_resend_wait/);
    const again = await browser.submit(first.text, SMS, { phone });
    assert.match(again.text, /otp_resend_wait/);
    assert.equal((await outbox(stack, phone)).length, 1, 'one message only');
    // the first code still works
    assert.ok(signedIn(await browser.submit(sent.text, SMS, { code: await latestCode(stack, phone) })));
  });

  it('caps the messages a number gets per day, the same way for unknown numbers', async () => {
    for (const phone of [citizen('chen-jing').phone!, '13700000002']) {
      for (let i = 0; i < 3; i++) {
        const b = new Browser(stack.issuer);
        const r = await b.submit((await open(b)).text, SMS, { phone });
        assert.equal(r.status, 200, `send ${i + 1} to ${phone}`);
      }
      const b = new Browser(stack.issuer);
      const capped = await b.submit((await open(b)).text, SMS, { phone });
      assert.match(capped.text, /sms_otp_daily_limit/, phone);
      assert.match(capped.text, /明天再试/);
    }
    assert.equal((await outbox(stack, citizen('chen-jing').phone!)).length, 3);
  });

  it('backs off a number after repeated wrong codes across interactions, and the back-off ends by itself', async () => {
    const phone = citizen('yang-lei').phone!;
    const b1 = new Browser(stack.issuer);
    let page = (await b1.submit((await open(b1)).text, SMS, { phone })).text;
    const first = await latestCode(stack, phone);
    for (let i = 0; i < 5; i++) page = (await b1.submit(page, SMS, { code: wrongCode(first) })).text;
    const b2 = new Browser(stack.issuer);
    const p2 = (await b2.submit((await open(b2)).text, SMS, { phone })).text;
    const code = await latestCode(stack, phone);
    // the sixth wrong code is answered as wrong, and starts the back-off
    const locked = await b2.submit(p2, SMS, { code: wrongCode(code) });
    assert.equal(locked.status, 401);
    assert.match(locked.text, /otp_invalid/);
    const refused = await b2.submit(p2, SMS, { code });
    assert.equal(refused.status, 429, 'even the right code waits out the back-off');
    now += 2200;
    assert.ok(signedIn(await b2.submit(p2, SMS, { code })));
  });

  it('keeps numbers and codes out of the audit log', async () => {
    const { rows } = await stack.ctx.db.query<{ data: unknown }>('SELECT data FROM audit_log');
    const all = JSON.stringify(rows);
    for (const key of ['zhang-wei', 'huang-qiang', 'wang-fang', 'yang-lei']) assert.ok(!all.includes(citizen(key).phone!));
    assert.ok(!all.includes(STRANGER));
  });
});

describe('sms-otp daily cap per source address', () => {
  let stack: Stack;
  let client: TestClient;
  before(async () => {
    stack = await startStack({
      rateScopes: { 'daily-ip': { threshold: 2, windowSeconds: 86400, baseSeconds: 86400, maxSeconds: 86400 } },
    });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await bindPhone(stack, 'xu-li');
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('stops texting from one address after its daily cap, whichever number is asked for', async () => {
    const send = async (phone: string) => {
      const b = new Browser(stack.issuer);
      const page = await openMethod(b, authUrl(client.clientId, client.redirectUri).url, 'sms-otp');
      return b.submit(page.text, SMS, { phone });
    };
    assert.equal((await send('13700000003')).status, 200);
    assert.equal((await send('13700000004')).status, 200);
    const capped = await send(citizen('xu-li').phone!);
    assert.match(capped.text, /sms_otp_daily_limit/);
    assert.deepEqual(await outbox(stack, citizen('xu-li').phone!), []);
  });
});

describe('sms-otp code timing', () => {
  let stack: Stack;
  let client: TestClient;
  before(async () => {
    // no limit in the way of the samples: every scope far above what the test sends
    stack = await startStack({ rateScopes: roomyScopes });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await bindPhone(stack, 'huang-qiang');
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('fails an unknown number\'s code after about the time a wrong code takes', async () => {
    const phone = citizen('huang-qiang').phone!;
    const shape = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/\d{3}\*{4}\d{4}/g, '').replace(/\/interaction\/[^/"]+/g, '');
    // one code form per sample (a challenge allows only a few tries), all made before timing starts
    const form = async (number: string): Promise<{ browser: Browser; text: string; code: string }> => {
      const browser = new Browser(stack.issuer);
      const first = await openMethod(browser, authUrl(client.clientId, client.redirectUri).url, 'sms-otp');
      const sent = await browser.submit(first.text, SMS, { phone: number });
      assert.equal(sent.status, 200);
      return { browser, text: sent.text, code: number === phone ? wrongCode(await latestCode(stack, phone)) : '123456' };
    };
    const rounds = 18;
    const known: Array<Awaited<ReturnType<typeof form>>> = [];
    const unknown: typeof known = [];
    for (let i = 0; i < rounds; i++) {
      known.push(await form(phone));
      unknown.push(await form(STRANGER));
    }
    const shapes = new Set<string>();
    const answer = async (f: Awaited<ReturnType<typeof form>>) => {
      const r = await f.browser.submit(f.text, SMS, { code: f.code });
      assert.equal(r.status, 401);
      assert.match(r.text, /otp_invalid/);
      shapes.add(shape(r.text));
    };
    const c = await compareTimings(rounds, (i) => answer(unknown[i]!), (i) => answer(known[i]!));
    assert.equal(shapes.size, 1, 'identical pages');
    // a code check is a few milliseconds; what the bounds catch is a path that skips or adds a step
    assert.ok(c.ratio > 0.5 && c.ratio < 2, describeTimings(c));
  });
});
