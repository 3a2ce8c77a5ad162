/** gov-eid sign-in through the QR waiting page, as the eID app would confirm it. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { Browser } from '../../support/browser.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { networkIdOf } from '../../../providers/gov-eid/sandbox.ts';
import { confirmInApp, idTokenOf, openQr, pollPathOf, qrUrlOf } from './steps.ts';

describe('gov-eid sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const count = async (table: string) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'eid-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('shows a QR whose payload opens the simulated eID app, and keeps waiting until the citizen confirms', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    assert.equal(page.status, 200);
    assert.match(page.text, /<svg class="qr"/);
    // no reload under the person: a script asks the status route every 2 s and says the state aloud
    assert.doesNotMatch(page.text, /http-equiv="refresh"/);
    assert.match(page.text, /data-poll-url="\/interaction\/[^"]+\/method\/gov-eid\/status\?step=poll" data-poll-every="2"/);
    assert.match(page.text, /<script src="\/assets\/waiting\.js" defer><\/script>/);
    assert.match(page.text, /id="wait-status"[^>]*aria-live="polite"/);
    const qr = qrUrlOf(page);
    assert.ok(qr.startsWith(`${stack.sandboxUrl}/eid/app/auth?r=`), qr);
    const app = await fetch(qr);
    assert.equal(app.status, 200);
    assert.match(await app.text(), new RegExp(stack.issuer.replace(/[.:/]/g, '\\$&')), 'the app shows who is asking');

    const waiting = await browser.open(pollPathOf(page));
    assert.equal(waiting.status, 200);
    assert.equal(qrUrlOf(waiting), qr, 'the same QR while pending');
    assert.equal(waiting.location, undefined);
  });

  it('signs in end to end at level 3 with hwk + pwd, enrolling the person and the eID credential', async () => {
    const who = citizen('chen-jing');
    const browser = new Browser(stack.issuer);
    const { req, page } = await openQr(browser, client);
    const confirmed = await confirmInApp(qrUrlOf(page), who.key, 'password');
    assert.equal(confirmed.status, 200);
    const done = await browser.open(pollPathOf(page));
    const idt = await idTokenOf(stack, client, req, done);
    assert.equal(idt.acr, 'urn:tongban:loa:3');
    for (const a of ['hwk', 'pwd']) assert.ok((idt.amr as string[]).includes(a), `amr has ${a}`);
    assert.ok(!(idt.amr as string[]).includes('face'));

    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId);
    const person = await stack.ctx.identity.getPerson(personId);
    assert.equal(person?.proofing, 'remote');
    const cred = await stack.ctx.identity.findCredential('gov-eid', networkIdOf(who.key));
    assert.equal(cred?.personId, personId, 'the network-identity code is bound to the person');
  });

  it('gives amr hwk + face in face mode, and the same person again on a second sign-in', async () => {
    const who = citizen('chen-jing');
    const persons = await count('persons');
    const credentials = await count('credentials');
    const browser = new Browser(stack.issuer);
    const { req, page } = await openQr(browser, client);
    await confirmInApp(qrUrlOf(page), who.key, 'face');
    const idt = await idTokenOf(stack, client, req, await browser.open(pollPathOf(page)));
    assert.equal(idt.acr, 'urn:tongban:loa:3');
    for (const a of ['hwk', 'face']) assert.ok((idt.amr as string[]).includes(a), `amr has ${a}`);
    assert.ok(!(idt.amr as string[]).includes('pwd'));
    assert.equal(await count('persons'), persons);
    assert.equal(await count('credentials'), credentials);
  });

  it('links the eID to a person who registered another way, without a second person', async () => {
    const who = await enrolCitizen(stack, 'li-na', 'Willow2026tree');
    const before = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    const persons = await count('persons');
    const browser = new Browser(stack.issuer);
    const { req, page } = await openQr(browser, client);
    await confirmInApp(qrUrlOf(page), who.key);
    const idt = await idTokenOf(stack, client, req, await browser.open(pollPathOf(page)));
    assert.equal(idt.acr, 'urn:tongban:loa:3');
    assert.equal(await count('persons'), persons);
    assert.equal((await stack.ctx.identity.findCredential('gov-eid', networkIdOf(who.key)))?.personId, before);
  });

  it('answers an unexpected step with a 4xx and keeps the QR being waited for', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    const csrf = page.text.match(/name="csrf" value="([^"]+)"/)![1]!;
    const action = pollPathOf(page).replace(/\?.*$/, '');
    const res = await browser.agent.post(action).type('form').send({ csrf, step: 'no-such-step', id_number: '\u0000<script>' }).redirects(0);
    assert.equal(res.status, 400);
    assert.match(res.text, /invalid_input/);
    assert.equal(qrUrlOf({ status: res.status, text: res.text, path: action }), qrUrlOf(page));
  });

  it('keeps ID numbers and network-identity codes out of the audit log', async () => {
    const { rows } = await stack.ctx.db.query<{ type: string; data: unknown }>('SELECT type, data FROM audit_log');
    assert.ok(rows.some((r) => r.type === 'login.succeeded'));
    const text = JSON.stringify(rows);
    for (const key of ['chen-jing', 'li-na']) {
      assert.ok(!text.includes(citizen(key).idNumber));
      assert.ok(!text.includes(networkIdOf(key)));
    }
  });
});
