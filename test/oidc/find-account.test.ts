/**
 * The person behind a sign-in is read once: the resume and the code exchange take the copy its
 * completion read (for at most PERSON_REUSE_MS). A change through the service is in the next
 * answer at once; a person removed behind the service's back gets no token once that time is over.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { PERSON_REUSE_MS } from '../../src/identity/identity-service.ts';
import type { Citizen } from '../../src/sandbox/citizens.ts';

describe('the person behind a sign-in', () => {
  let stack: Stack;
  let app: TestClient;
  const password = 'Lantern2026reed';
  // the service's clock runs ahead of the real one by this much (the reuse time without waiting)
  let ahead = 0;

  before(async () => {
    stack = await startStack({ clock: () => Date.now() + ahead });
    app = await addClient(stack, 'civil-records', { tongban_first_party: true, scope: 'openid profile phone' });
  });
  after(async () => {
    await app?.rp.close();
    await stack?.close();
  });

  /** Signs in with the password and returns the code, not yet exchanged. */
  async function signIn(who: Citizen) {
    const browser = new Browser(stack.issuer);
    const r = authUrl(app.clientId, app.redirectUri, { scope: 'openid profile phone' });
    const back = await passwordLogin(browser, (await browser.open(r.url)).text, who.idNumber, password);
    return { code: codeFrom(back.location, r.state), verifier: r.verifier };
  }

  const exchange = (issued: { code: string; verifier: string }) =>
    request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(app))
      .type('form')
      .send({ grant_type: 'authorization_code', code: issued.code, redirect_uri: app.redirectUri, code_verifier: issued.verifier });

  const personIdOf = async (who: Citizen) => (await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber))!;

  it('answers with a phone number changed through the service between the sign-in and the token, at once', async () => {
    const who = await enrolCitizen(stack, 'liu-yang', password);
    const issued = await signIn(who);
    await stack.ctx.identity.setPhone(await personIdOf(who), '13122223333');
    const token = await exchange(issued);
    assert.equal(token.status, 200, token.text);
    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${token.body.access_token}`);
    assert.equal(me.status, 200);
    assert.equal(me.body.phone_number, '+8613122223333', 'the new number, not the copy the sign-in read');
    assert.equal(me.body.name, who.name);
  });

  it('issues no token for a person removed behind the service’s back once the reuse time is over', async () => {
    const who = await enrolCitizen(stack, 'chen-jing', password);
    const issued = await signIn(who);
    // another instance, or an operator in the database: nothing this process hears of
    await stack.ctx.db.query('DELETE FROM persons WHERE id = $1', [await personIdOf(who)]);
    ahead += PERSON_REUSE_MS + 1;
    const token = await exchange(issued);
    assert.equal(token.status, 400, token.text);
    assert.equal(token.body.error, 'invalid_grant');
  });
});
