/** Bank-card sign-in: the four-element check, the texted code, enrolment that links, and every refusal writing nothing. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../../support/browser.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { bankCardOf, frozenCardOf } from '../../../providers/bank-card/sandbox.ts';
import { luhnCheckDigit } from '../../../providers/bank-card/card.ts';
import { fourElements } from './steps.ts';
import { count, failNext, latestCode, openMethod, outbox, resetSandbox, wrongCode } from '../sms-otp/steps.ts';

const BANK = /method\/bank-card/;

describe('bank-card sign-in', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack({
      rateScopes: {
        id: { threshold: 3, windowSeconds: 60, baseSeconds: 30, maxSeconds: 60 },
        ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 },
      },
    });
    client = await addClient(stack, 'social', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(() => resetSandbox(stack));

  const signedIn = (p: { location?: string }) => p.location?.startsWith(client.redirectUri) === true;
  async function details(browser: Browser, fields: Record<string, string>, extra: Record<string, string> = {}) {
    const r = authUrl(client.clientId, client.redirectUri, extra);
    const page = await openMethod(browser, r.url, 'bank-card');
    return { res: await browser.submit(page.text, BANK, fields), auth: r, uid: page.uid };
  }
  const nothingWritten = async (persons: number, credentials: number) => {
    assert.equal(await count(stack, 'persons'), persons);
    assert.equal(await count(stack, 'credentials'), credentials);
  };

  it('enrols a new citizen at level 2, binds the card, and password registration later links to the same person', async () => {
    const key = 'liu-yang';
    const c = citizen(key);
    const browser = new Browser(stack.issuer);
    const { res, auth } = await details(browser, fourElements(key));
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.text, /150\*\*\*\*8765/);
    const done = await browser.submit(res.text, BANK, { code: await latestCode(stack, c.phone!) });
    assert.ok(signedIn(done), `signed in (${done.status})`);
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, auth.state), redirect_uri: client.redirectUri, code_verifier: auth.verifier });
    const idt = decodeJwt(token.body.id_token as string);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    assert.deepEqual([...(idt.amr as string[])].sort(), ['mfa', 'otp']);

    const card = await stack.ctx.identity.findCredential('bank-card', bankCardOf(key));
    assert.ok(card, 'the card is bound');
    const person = await stack.ctx.identity.getPerson(card.personId);
    assert.equal(person?.proofing, 'remote');
    const persons = await count(stack, 'persons');

    // registration by ID number + password finds the same person: a link, not a second person
    const reg = new Browser(stack.issuer);
    const chooser = await reg.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/)!;
    const otp = await reg.submit((await reg.open(link[1]!)).text, /enrol/, { id_number: c.idNumber, name: c.name, password: 'Harbour2026light', phone: c.phone! });
    assert.equal(otp.status, 200, otp.text.slice(0, 300));
    const registered = await reg.submit(otp.text, /enrol/, { code: await latestCode(stack, c.phone!) });
    assert.ok(signedIn(registered), `registered (${registered.status})`);
    assert.equal(await count(stack, 'persons'), persons);
    const pwd = await stack.ctx.identity.findCredential('id-card-password', c.idNumber);
    assert.equal(pwd?.personId, card.personId);
  });

  it('signs in a person who registered by password as that same person', async () => {
    const key = 'chen-jing';
    await enrolCitizen(stack, key, 'Lantern2026moon');
    const before = await stack.ctx.identity.findCredential('id-card-password', citizen(key).idNumber);
    const persons = await count(stack, 'persons');
    const browser = new Browser(stack.issuer);
    const { res } = await details(browser, fourElements(key));
    const done = await browser.submit(res.text, BANK, { code: await latestCode(stack, citizen(key).phone!) });
    assert.ok(signedIn(done));
    assert.equal(await count(stack, 'persons'), persons);
    assert.equal((await stack.ctx.identity.findCredential('bank-card', bankCardOf(key)))?.personId, before?.personId);
  });

  it('refuses four elements that do not match, texting nothing and writing nothing', async () => {
    const key = 'zhao-min';
    const [p, c] = [await count(stack, 'persons'), await count(stack, 'credentials')];
    for (const over of [{ name: '赵雅' }, { phone: '13700000009' }]) {
      const { res } = await details(new Browser(stack.issuer), fourElements(key, over));
      assert.equal(res.status, 401);
      assert.match(res.text, /bank_card_mismatch/);
    }
    assert.deepEqual(await outbox(stack, citizen(key).phone!), []);
    await nothingWritten(p, c);
  });

  it('refuses a frozen card and a card the bank does not know', async () => {
    const frozen = await details(new Browser(stack.issuer), fourElements('huang-qiang', { card_number: frozenCardOf('huang-qiang') }));
    assert.match(frozen.res.text, /bank_card_frozen/);
    assert.match(frozen.res.text, /冻结/);
    const body = '622848000000000000';
    const unknown = await details(new Browser(stack.issuer), fourElements('zhou-xiuying', { card_number: body + luhnCheckDigit(body) }));
    assert.match(unknown.res.text, /bank_card_not_found/);
  });

  it('refuses a card number that fails the Luhn check or its length without asking the bank', async () => {
    await failNext(stack, 'bank', 'error', 10);
    const card = bankCardOf('wu-haoran');
    const typo = card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10);
    const luhn = await details(new Browser(stack.issuer), fourElements('wu-haoran', { card_number: typo }));
    assert.equal(luhn.res.status, 400);
    assert.match(luhn.res.text, /bank_card_luhn/);
    const short = await details(new Browser(stack.issuer), fourElements('wu-haoran', { card_number: '622848123' }));
    assert.match(short.res.text, /bank_card_malformed/);
    const letters = await details(new Browser(stack.issuer), fourElements('wu-haoran', { card_number: '6228 48ab 1234 5678' }));
    assert.match(letters.res.text, /bank_card_malformed/);
    // the same card typed in groups is accepted as far as the (failing) bank
    const grouped = await details(new Browser(stack.issuer), fourElements('wu-haoran', { card_number: card.replace(/(\d{4})/g, '$1 ').trim() }));
    assert.equal(grouped.res.status, 503);
  });

  it('limits four-element checks per ID number', async () => {
    const key = 'yang-lei';
    for (let i = 0; i < 3; i++) {
      const { res } = await details(new Browser(stack.issuer), fourElements(key, { name: '杨雷' }));
      assert.match(res.text, /bank_card_mismatch/, `check ${i + 1}`);
    }
    // even the right details wait: the bank is not asked again during the back-off
    await failNext(stack, 'bank', 'error', 10);
    const { res } = await details(new Browser(stack.issuer), fourElements(key));
    assert.equal(res.status, 429);
    assert.match(res.text, /rate_limited/);
  });

  it('is unavailable, audited and writes nothing when the bank answers with a bad signature or not in time', async () => {
    const [p, c] = [await count(stack, 'persons'), await count(stack, 'credentials')];
    await failNext(stack, 'bank', 'bad_signature', 1);
    const bad = await details(new Browser(stack.issuer), fourElements('xu-li'));
    assert.equal(bad.res.status, 503);
    assert.match(bad.res.text, /method_unavailable/);
    await failNext(stack, 'bank', 'timeout', 2);
    const slow = await details(new Browser(stack.issuer), fourElements('wang-fang'));
    assert.equal(slow.res.status, 503);
    await nothingWritten(p, c);
    assert.deepEqual(await outbox(stack, citizen('xu-li').phone!), []);
    const { rows } = await stack.ctx.db.query<{ data: { authority: string; kind: string } }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable'",
    );
    assert.ok(rows.some((r) => r.data.authority === 'bank' && r.data.kind === 'signature'));
    assert.ok(rows.some((r) => r.data.authority === 'bank' && r.data.kind === 'timeout'));
  });

  it('refuses a wrong code and the right code submitted twice at once; only one person comes of it', async () => {
    const key = 'li-na';
    const browser = new Browser(stack.issuer);
    const { res } = await details(browser, fourElements(key));
    const code = await latestCode(stack, citizen(key).phone!);
    const wrong = await browser.submit(res.text, BANK, { code: wrongCode(code) });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /otp_invalid/);
    assert.equal(await stack.ctx.identity.personExists(citizen(key).idNumber), false);
    const persons = await count(stack, 'persons');
    // the same right code twice at once: one login, the other refused
    const both = await Promise.all([browser.submit(wrong.text, BANK, { code }), browser.submit(wrong.text, BANK, { code })]);
    assert.equal(both.filter(signedIn).length, 1, both.map((b) => b.status).join(','));
    assert.equal(await count(stack, 'persons'), persons + 1);
  });

  it('keeps card numbers, ID numbers and phones out of the audit log', async () => {
    const all = JSON.stringify((await stack.ctx.db.query('SELECT data FROM audit_log')).rows);
    for (const key of ['liu-yang', 'li-na', 'zhao-min']) {
      assert.ok(!all.includes(bankCardOf(key)));
      assert.ok(!all.includes(citizen(key).idNumber));
      assert.ok(!all.includes(citizen(key).phone!));
    }
  });
});
