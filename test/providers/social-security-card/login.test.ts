/** Social-security card sign-in: enrolment on first sight, one person across methods, one answer for unknown and wrong. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { compareTimings, describeTimings } from '../../support/timing.ts';
import { roomyScopes } from '../../support/limits.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { enrolCitizen, passwordLogin } from '../../support/login.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { LOST_CARD_CITIZEN, socialSecurityCardOf } from '../../../providers/social-security-card/sandbox.ts';
import { count, idTokenFor, openMethod, requestLog } from './flow.ts';

const METHOD = 'social-security-card';

describe('social-security-card sign-in', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    // every test here comes from one address; timing samples must not run into a back-off
    stack = await startStack({ rateScopes: roomyScopes });
    client = await addClient(stack, 'hr-bureau', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  });

  const submit = (browser: Browser, page: string, cardNo: string, pin: string) =>
    browser.submit(page, /method\/social-security-card/, { card_no: cardNo, pin });

  it('enrols the holder on first sign-in, links the card, and signs in at level 2 with sc and pin', async () => {
    const who = citizen('chen-jing');
    const card = socialSecurityCardOf('chen-jing');
    const persons = await count(stack, 'persons');

    const first = await openMethod(stack, client, METHOD);
    const done = await submit(first.browser, first.page, card.cardNo, card.pin);
    const idt = await idTokenFor(stack, client, first.req, done.location);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    assert.deepEqual([...(idt.amr as string[])].sort(), ['pin', 'sc']);
    assert.equal(await count(stack, 'persons'), persons + 1);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId);
    const cred = await stack.ctx.identity.findCredential(METHOD, card.cardNo);
    assert.equal(cred?.personId, personId, 'the card is linked to the holder');
    assert.equal((await stack.ctx.identity.getPerson(personId))?.proofing, 'remote');

    // card numbers are read the way people type them: spaces and lower case
    const again = await openMethod(stack, client, METHOD);
    const typed = `${card.cardNo.slice(0, 4).toLowerCase()} ${card.cardNo.slice(4)}`;
    const second = await idTokenFor(stack, client, again.req, (await submit(again.browser, again.page, typed, card.pin)).location);
    assert.equal(second.sub, idt.sub);
    assert.equal(await count(stack, 'persons'), persons + 1, 'no second person');
  });

  it('is one person with id-card-password: the same pairwise sub either way', async () => {
    const who = await enrolCitizen(stack, 'liu-yang', 'Bridge2026river');
    const card = socialSecurityCardOf('liu-yang');

    const byPassword = new Browser(stack.issuer);
    const r1 = authUrl(client.clientId, client.redirectUri);
    const chooser = await byPassword.open(r1.url);
    const viaPassword = await idTokenFor(stack, client, r1, (await passwordLogin(byPassword, chooser.text, who.idNumber, 'Bridge2026river')).location);

    const c = await openMethod(stack, client, METHOD);
    const viaCard = await idTokenFor(stack, client, c.req, (await submit(c.browser, c.page, card.cardNo, card.pin)).location);
    assert.equal(viaCard.sub, viaPassword.sub);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.equal((await stack.ctx.identity.findCredential(METHOD, card.cardNo))?.personId, personId);
    assert.equal((await stack.ctx.identity.findCredential('id-card-password', who.idNumber))?.personId, personId);
  });

  it('answers an unknown card and a wrong PIN the same way, after about the same time', async () => {
    // the card's authority locks a card after a few wrong PINs: two wrong tries on each of eight cards
    const cards = ['yang-lei', 'zhang-wei', 'wang-fang', 'li-na', 'zhao-min', 'huang-qiang', 'wu-haoran', 'sun-guilan'].map(socialSecurityCardOf);
    const wrongPin = (cardNo: string) => (cards.find((c) => c.cardNo === cardNo)?.pin === '123456' ? '654321' : '123456');
    const shapes = new Set<string>();
    // a fresh form per sample, all opened before timing starts
    const forms: Array<Awaited<ReturnType<typeof openMethod>>> = [];
    for (let i = 0; i < 32; i++) forms.push(await openMethod(stack, client, METHOD));
    const attempt = async (form: (typeof forms)[number], cardNo: string) => {
      const res = await submit(form.browser, form.page, cardNo, wrongPin(cardNo));
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.match(res.text, /ss_card_failed/);
      // what may differ between two answers: hidden tokens and the interaction's own links
      shapes.add(`${res.status} ${res.text.replace(/value="[^"]*"/g, '').replace(/\/interaction\/[^/"?]+/g, '')}`);
    };
    const c = await compareTimings(16, (i) => attempt(forms[2 * i]!, `SH0000000${i % 10}`), (i) => attempt(forms[2 * i + 1]!, cards[i % cards.length]!.cardNo));
    assert.equal(shapes.size, 1, 'identical answers');
    // both kinds ask the authority; a few ms either way is noise, a missing or extra step is not
    assert.ok(Math.abs(c.a - c.b) < 15 || (c.ratio > 0.5 && c.ratio < 2), describeTimings(c));
  });

  it('refuses a card reported lost, even with the right PIN, and writes nothing', async () => {
    const card = socialSecurityCardOf(LOST_CARD_CITIZEN);
    const persons = await count(stack, 'persons');
    const credentials = await count(stack, 'credentials');
    const { browser, page } = await openMethod(stack, client, METHOD);
    const res = await submit(browser, page, card.cardNo, card.pin);
    assert.equal(res.location, undefined);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.match(res.text, /ss_card_blocked/);
    assert.match(res.text, /挂失/);
    assert.equal(await count(stack, 'persons'), persons);
    assert.equal(await count(stack, 'credentials'), credentials);
  });

  it('checks the card number and PIN format before calling the authority', async () => {
    const { browser, page } = await openMethod(stack, client, METHOD);
    const calls = (await requestLog(stack, 'social-security')).length;
    const badCard = await submit(browser, page, 'SH-1234<>', '123456');
    assert.equal(badCard.status, 400);
    assert.match(badCard.text, /ss_card_number_malformed/);
    const badPin = await submit(browser, page, socialSecurityCardOf('xu-li').cardNo, '12ab');
    assert.equal(badPin.status, 400);
    assert.match(badPin.text, /ss_pin_malformed/);
    const missing = await submit(browser, page, '', '');
    assert.equal(missing.status, 400);
    assert.match(missing.text, /field_required/);
    assert.equal((await requestLog(stack, 'social-security')).length, calls, 'the authority was not called');
  });
});
