/** Two methods of different factors in one interaction reach level 2: password, then SMS. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { bindPhone, latestCode } from '../providers/sms-otp/steps.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

describe('combining methods to reach a level', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack({
      methodSettings: { 'id-card-password': { enabled: true }, 'sms-otp': { enabled: true }, 'certificate': { enabled: true } },
    });
    client = await addClient(stack, 'tax', { tongban_first_party: true });
    await enrolCitizen(stack, 'xu-li', 'Willow2026wind');
    await bindPhone(stack, 'xu-li');
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('asks for a second factor after the password and issues level 2 with both in amr', async () => {
    const who = citizen('xu-li');
    const b = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri, { acr_values: 'urn:tongban:loa:2' });
    const chooser = await b.open(r.url);
    assert.match(chooser.text, /method\/id-card-password/, 'a level-1 method is offered as a first step');
    assert.match(chooser.text, /method\/certificate/);

    const partial = await passwordLogin(b, chooser.text, who.idNumber, 'Willow2026wind');
    assert.equal(partial.location, undefined, 'a password alone does not reach level 2');
    assert.match(partial.text, /已完成一项验证/);
    assert.match(partial.text, /method\/sms-otp/);
    assert.doesNotMatch(partial.text, /href="\/interaction\/[^"]+\/method\/id-card-password"/, 'the same factor again would not help');

    const sms = await b.open(partial.text.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!);
    const codePage = await b.submit(sms.text, /method\/sms-otp/, { phone: who.phone! });
    const done = await b.submit(codePage.text, /method\/sms-otp/, { code: await latestCode(stack, who.phone!) });
    const token = await request(stack.issuer).post('/token').set('Authorization', basic(client)).type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
    const idt = decodeJwt(token.body.id_token as string);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    for (const a of ['pwd', 'sms', 'mfa']) assert.ok((idt.amr as string[]).includes(a), `amr has ${a}`);
  });

  it('does not combine verifications of two different people', async () => {
    await enrolCitizen(stack, 'wu-haoran', 'River2026stone');
    const b = new Browser(stack.issuer);
    const r = authUrl(client.clientId, client.redirectUri, { acr_values: 'urn:tongban:loa:2' });
    const partial = await passwordLogin(b, (await b.open(r.url)).text, citizen('wu-haoran').idNumber, 'River2026stone');
    const sms = await b.open(partial.text.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!);
    const who = citizen('xu-li');
    const codePage = await b.submit(sms.text, /method\/sms-otp/, { phone: who.phone! });
    const res = await b.submit(codePage.text, /method\/sms-otp/, { code: await latestCode(stack, who.phone!) });
    assert.equal(res.location, undefined, 'another person’s SMS does not complete this login');
  });
});
