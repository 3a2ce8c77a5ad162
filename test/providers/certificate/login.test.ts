/** UKey certificate sign-in end to end: level 3, enrolment on first sight, single-use nonces. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom, type PkceRequest } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { testCertificateOf } from '../../../providers/certificate/sandbox.ts';
import type { Page } from '../contract/driver.ts';
import { callback, handoffOf, signedQuery, signWithSimulator } from './helpers.ts';

describe('certificate sign-in', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'tax', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function waitingPage(browser: Browser, extra: Record<string, string> = {}): Promise<{ r: PkceRequest; page: Page }> {
    const r = authUrl(client.clientId, client.redirectUri, extra);
    const chooser = await browser.open(r.url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/);
    assert.ok(link, 'the chooser offers the certificate method');
    const page = await browser.open(link[1]!);
    assert.equal(page.status, 200);
    return { r, page };
  }

  async function idToken(r: PkceRequest, done: Page) {
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
    assert.equal(token.status, 200, token.text);
    return decodeJwt(token.body.id_token as string);
  }

  it('waits on a hand-off page that opens the signing software with a fresh nonce and our callback', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await waitingPage(browser);
    const h = handoffOf(page);
    assert.match(h.nonce, /^[A-Za-z0-9_-]{43}$/, '32 random bytes');
    assert.match(h.returnTo, /\/interaction\/[^/]+\/callback\/certificate$/);
    assert.equal(h.signer.searchParams.get('alg'), 'ES256');
    assert.doesNotMatch(page.text, /http-equiv="refresh"/);
    assert.match(page.text, /data-poll-url="\/interaction\/[^"]+\/method\/certificate\/status\?step=wait"/);
    // polling keeps waiting with the same nonce
    const poll = await browser.open(`${new URL(h.returnTo).pathname.replace('/callback/', '/method/')}?step=wait`);
    assert.equal(poll.status, 200);
    assert.equal(handoffOf(poll).nonce, h.nonce);
  });

  it('signs a citizen in at level 3 with amr hwk and sc, enrolling them on first sight', async () => {
    const who = citizen('chen-jing');
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber), null);
    const browser = new Browser(stack.issuer);
    const { r, page } = await waitingPage(browser, { acr_values: 'urn:tongban:loa:3' });
    const done = await signWithSimulator(browser, page, 'chen-jing:valid');
    const idt = await idToken(r, done);
    assert.equal(idt.acr, 'urn:tongban:loa:3');
    assert.deepEqual([...(idt.amr as string[])].sort(), ['hwk', 'sc']);

    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId, 'the person was created');
    const person = await stack.ctx.identity.getPerson(personId);
    assert.equal(person?.proofing, 'remote');
    const cert = await testCertificateOf('chen-jing');
    const cred = await stack.ctx.identity.findCredential('certificate', `${cert.certificate.issuer}#${cert.serialNumber}`);
    assert.equal(cred?.personId, personId, 'the certificate is bound, by issuer and serial');

    // the same certificate again: the same person, no second person
    const again = new Browser(stack.issuer);
    const second = await waitingPage(again);
    const done2 = await signWithSimulator(again, second.page, 'chen-jing:valid');
    assert.equal((await idToken(second.r, done2)).sub, idt.sub);
  });

  it('refuses a replayed answer: the nonce is single-use', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await waitingPage(browser);
    const h = handoffOf(page);
    const query = await signedQuery(await testCertificateOf('yang-lei'), h.nonce);
    const first = await callback(browser, h, query);
    assert.ok(first.location, 'the first answer signs in');
    // the same answer again at the same callback: that interaction is over
    const again = await callback(browser, h, query);
    assert.equal(again.status, 400);
    assert.equal(again.location, undefined);
    // and at another interaction's callback: its nonce is not this one
    const other = new Browser(stack.issuer);
    const { page: page2 } = await waitingPage(other);
    const replay = await callback(other, handoffOf(page2), query);
    assert.equal(replay.status, 400);
    assert.match(replay.text, /challenge_expired/);
    assert.equal(replay.location, undefined);
  });

  it('refuses the same answer twice within one interaction', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await waitingPage(browser);
    const h = handoffOf(page);
    const bad = await callback(browser, h, { ...(await signedQuery(await testCertificateOf('xu-li'), h.nonce)), signature: 'A'.repeat(86) });
    assert.match(bad.text, /cert_bad_signature/);
    // the failure spent the nonce; the page now carries a new one
    const replay = await callback(browser, h, await signedQuery(await testCertificateOf('xu-li'), h.nonce));
    assert.equal(replay.status, 400);
    assert.match(replay.text, /challenge_expired/);
    assert.notEqual(handoffOf(replay).nonce, h.nonce);
  });

  it('refuses a nonce of another interaction', async () => {
    const a = new Browser(stack.issuer);
    const b = new Browser(stack.issuer);
    const pa = handoffOf((await waitingPage(a)).page);
    const pb = handoffOf((await waitingPage(b)).page);
    const res = await callback(a, pa, await signedQuery(await testCertificateOf('xu-li'), pb.nonce));
    assert.equal(res.status, 400);
    assert.match(res.text, /challenge_expired/);
  });

  it('takes a cancel from the signing software as a failed attempt with a new challenge', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await waitingPage(browser);
    const res = await signWithSimulator(browser, page, 'xu-li:valid', 'cancel');
    assert.equal(res.status, 400);
    assert.match(res.text, /cert_cancelled/);
    assert.ok(handoffOf(res).nonce);
  });

  it('answers a posted form with an unknown step or junk fields with a 4xx, never a 500', async () => {
    const browser = new Browser(stack.issuer);
    const { page } = await waitingPage(browser);
    const action = new URL(handoffOf(page).returnTo).pathname.replace('/callback/', '/method/');
    const csrf = page.text.match(/name="csrf" value="([^"]+)"/)![1]!;
    for (const body of [
      { csrf, step: 'no-such-step', id_number: '\u0000<script>', code: 'x'.repeat(300) },
      { csrf, step: 'callback', nonce: 'x'.repeat(43), chain: '.'.repeat(50), signature: '\u0000' },
    ]) {
      const res = await browser.agent.post(action).type('form').send(body).redirects(0);
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    }
  });
});
