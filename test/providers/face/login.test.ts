/** Face sign-in through the real pages: separate consent first, then each capture outcome. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { capture, captureUrlOf, codeOn, ensureEnrolled, faceSignIn, openFace, submitConsent, submitDetails } from './steps.ts';

describe('face sign-in', () => {
  let stack: Stack;
  let client: TestClient;
  const who = citizen('liu-yang');
  const is4xx = (s: number) => s >= 400 && s < 500;

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'face-rp', { tongban_first_party: true });
    await ensureEnrolled(stack, 'liu-yang');
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  const open = (browser: Browser) => openFace(browser, client.clientId, client.redirectUri);

  it('asks a separate consent that says what is collected, and starts nothing without the tick', async () => {
    const browser = new Browser(stack.issuer);
    const consent = await submitDetails(browser, await open(browser), who);
    assert.equal(consent.status, 200);
    assert.match(consent.text, /type="checkbox"[^>]*name="consent"|name="consent"[^>]*type="checkbox"/);
    assert.match(consent.text, /实时人脸图像/);
    assert.match(consent.text, /不接收、不保存/);
    const refused = await submitConsent(browser, consent, false);
    assert.ok(is4xx(refused.status), `status ${refused.status}`);
    assert.equal(codeOn(refused), 'face_consent_required');
    assert.equal(captureUrlOf(refused), undefined, 'no capture session without consent');
    assert.match(refused.text, /name="consent"/, 'the consent is asked again');
  });

  it('signs in with a matching live face at level 2 with amr face', async () => {
    const browser = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri);
    const chooser = await browser.open(r.url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/face)"/)!;
    const done = await faceSignIn(browser, await browser.open(link[1]!), who, 'match');
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
    assert.equal(token.status, 200, token.text);
    const idt = decodeJwt(token.body.id_token as string);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    assert.deepEqual(idt.amr, ['face']);
  });

  for (const [sample, code] of [
    ['mismatch', 'face_no_match'],
    ['spoof', 'face_liveness_failed'],
    ['cancel', 'face_cancelled'],
  ] as const) {
    it(`refuses the "${sample}" sample with ${code} and offers the consent again`, async () => {
      const browser = new Browser(stack.issuer);
      const page = await faceSignIn(browser, await open(browser), who, sample);
      assert.equal(page.location, undefined, 'no code');
      assert.ok(is4xx(page.status), `status ${page.status}`);
      assert.equal(codeOn(page), code);
      assert.match(page.text, /name="consent"/);
    });
  }

  it('refuses a matching face for someone who has no Tongban ID, and creates no one', async () => {
    const stranger = citizen('ma-jun');
    const before = await stack.ctx.identity.findPersonIdByIdNumber(stranger.idNumber);
    assert.equal(before, null);
    const browser = new Browser(stack.issuer);
    const page = await faceSignIn(browser, await open(browser), stranger, 'match');
    assert.equal(page.location, undefined);
    assert.equal(page.status, 403);
    assert.match(page.text, /not_enrolled/);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(stranger.idNumber), null);
  });

  it('refuses a name that is not the ID number’s, even with the "matching" face', async () => {
    const browser = new Browser(stack.issuer);
    const page = await faceSignIn(browser, await open(browser), { name: '王小明', idNumber: who.idNumber }, 'match');
    assert.equal(page.location, undefined);
    assert.equal(codeOn(page), 'face_no_match');
  });

  it('allows three liveness sessions per sign-in, then asks for another method', async () => {
    const browser = new Browser(stack.issuer);
    let consent = await submitDetails(browser, await open(browser), citizen('zhao-min'));
    for (let i = 0; i < 3; i++) {
      const next = await submitConsent(browser, consent);
      const url = captureUrlOf(next);
      assert.ok(url, `session ${i + 1} starts`);
      consent = await browser.open(await capture(url, 'cancel'));
      assert.equal(codeOn(consent), 'face_cancelled');
    }
    const fourth = await submitConsent(browser, consent);
    assert.equal(captureUrlOf(fourth), undefined);
    assert.equal(codeOn(fourth), 'face_attempts_exhausted');
  });

  it('checks the input where it enters: a bad ID number or a missing name is a 4xx', async () => {
    const browser = new Browser(stack.issuer);
    const first = await open(browser);
    const bad = await submitDetails(browser, first, { name: who.name, idNumber: '310101198503120000' });
    assert.ok(is4xx(bad.status));
    assert.match(codeOn(bad) ?? '', /^id_number_/);
    const noName = await submitDetails(browser, first, { name: '', idNumber: who.idNumber });
    assert.equal(codeOn(noName), 'field_required');
    const odd = await submitDetails(browser, first, { name: '<script>', idNumber: who.idNumber });
    assert.equal(codeOn(odd), 'invalid_input');
  });
});
