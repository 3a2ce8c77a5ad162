/** Single sign-on across departments with pairwise subjects, and ordered step-up. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';

async function exchange(stack: Stack, c: TestClient, code: string, verifier: string) {
  const res = await request(stack.issuer)
    .post('/token')
    .set('Authorization', basic(c))
    .type('form')
    .send({ grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, code_verifier: verifier });
  assert.equal(res.status, 200, res.text);
  return decodeJwt(res.body.id_token as string);
}

describe('single sign-on and step-up', () => {
  let stack: Stack;
  let social: TestClient;
  let housing: TestClient;
  let strict: TestClient;
  const password = 'Autumn2026leaf';

  before(async () => {
    stack = await startStack();
    social = await addClient(stack, 'social', { tongban_first_party: true });
    housing = await addClient(stack, 'housing');
    strict = await addClient(stack, 'tax', { tongban_first_party: true, tongban_min_level: 2 });
    await enrolCitizen(stack, 'liu-yang', password);
  });
  after(async () => {
    for (const c of [social, housing, strict]) await c?.rp.close();
    await stack?.close();
  });

  it('signs in once; the second department gets a different pairwise sub without a second login', async () => {
    const browser = new Browser(stack.issuer);
    const { citizen } = await import('../../src/sandbox/citizens.ts');
    const who = citizen('liu-yang');

    const r1 = authUrl(social.clientId, social.redirectUri);
    const chooser = await browser.open(r1.url);
    const done1 = await passwordLogin(browser, chooser.text, who.idNumber, password);
    const t1 = await exchange(stack, social, codeFrom(done1.location, r1.state), r1.verifier);

    const r2 = authUrl(housing.clientId, housing.redirectUri);
    const consent = await browser.open(r2.url);
    assert.equal(consent.status, 200);
    assert.match(consent.text, /授权/, 'a third-party department asks for consent');
    assert.doesNotMatch(consent.text, /选择登录方式/, 'no second login');
    const back = await browser.submit(consent.text, /consent/, { decision: 'allow' });
    const t2 = await exchange(stack, housing, codeFrom(back.location, r2.state), r2.verifier);

    assert.notEqual(t1.sub, t2.sub, 'each department sees its own pairwise sub');
    assert.equal(t1.acr, 'urn:tongban:loa:1');
    assert.equal(t2.auth_time, t1.auth_time, 'the same authentication event');

    // consent is remembered: the next request goes straight through
    const r3 = authUrl(housing.clientId, housing.redirectUri);
    const again = await browser.open(r3.url);
    const t3 = await exchange(stack, housing, codeFrom(again.location, r3.state), r3.verifier);
    assert.equal(t3.sub, t2.sub, 'stable for the same department');
  });

  it('never grants level 2 silently to a level-1 session: acr_values prompts, prompt=none fails', async () => {
    const browser = new Browser(stack.issuer);
    const { citizen } = await import('../../src/sandbox/citizens.ts');
    const who = citizen('liu-yang');
    const r1 = authUrl(social.clientId, social.redirectUri);
    await passwordLogin(browser, (await browser.open(r1.url)).text, who.idNumber, password);

    const asks: Record<string, string>[] = [
      { acr_values: 'urn:tongban:loa:2' },
      { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:tongban:loa:2', 'urn:tongban:loa:3'] } } }) },
    ];
    for (const extra of asks) {
      const r = authUrl(social.clientId, social.redirectUri, extra);
      const page = await browser.open(r.url);
      assert.equal(page.location, undefined, 'no code was issued');
      assert.equal(page.status, 200);
      assert.match(page.text, /更高的安全等级/);
      // the only enabled method is level 1 and cannot add a second factor: nothing is offered
      assert.doesNotMatch(page.text, /method\/id-card-password/);

      const silent = authUrl(social.clientId, social.redirectUri, { ...extra, prompt: 'none' });
      const res = await browser.open(silent.url);
      const u = new URL(res.location!);
      assert.equal(u.searchParams.get('error'), 'login_required');
      assert.equal(u.searchParams.get('code'), null);
    }

    // a lower or equal level is satisfied by the session as it is (levels are ordered)
    const ok = authUrl(social.clientId, social.redirectUri, { acr_values: 'urn:tongban:loa:1' });
    const res = await browser.open(ok.url);
    const t = await exchange(stack, social, codeFrom(res.location, ok.state), ok.verifier);
    assert.equal(t.acr, 'urn:tongban:loa:1');
  });

  it("applies a client's minimum level to every request it makes", async () => {
    const { citizen } = await import('../../src/sandbox/citizens.ts');
    const browser = new Browser(stack.issuer);
    const r = authUrl(strict.clientId, strict.redirectUri);
    const page = await browser.open(r.url);
    assert.equal(page.status, 200);
    assert.match(page.text, /method\/certificate/, 'methods that reach level 2 are offered');
    // a password is only a first step for this client: alone it issues nothing
    const partial = await passwordLogin(browser, page.text, citizen('liu-yang').idNumber, password);
    assert.equal(partial.location, undefined);
    assert.match(partial.text, /已完成一项验证/);
  });
});

describe('levels set by policy', () => {
  let stack: Stack;
  let client: TestClient;
  const password = 'Winter2026snow';

  before(async () => {
    // security admins may raise a method's level; the method then satisfies level-2 requests
    stack = await startStack({ methodSettings: { 'id-card-password': { enabled: true, level: 2 } } });
    client = await addClient(stack, 'social', { tongban_first_party: true });
    await enrolCitizen(stack, 'zhao-min', password);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('offers a method that reaches the level asked and issues that acr; a higher request is prompted again', async () => {
    const { citizen } = await import('../../src/sandbox/citizens.ts');
    const who = citizen('zhao-min');
    const browser = new Browser(stack.issuer);
    const r2 = authUrl(client.clientId, client.redirectUri, { acr_values: 'urn:tongban:loa:2' });
    const page = await browser.open(r2.url);
    assert.match(page.text, /适合办理大多数事项/, 'a way good for most services (level 2) is offered');
    const d2 = await passwordLogin(browser, page.text, who.idNumber, password);
    const t2 = await exchange(stack, client, codeFrom(d2.location, r2.state), r2.verifier);
    assert.equal(t2.acr, 'urn:tongban:loa:2');

    const r3 = authUrl(client.clientId, client.redirectUri, { acr_values: 'urn:tongban:loa:3' });
    const higher = await browser.open(r3.url);
    assert.equal(higher.location, undefined, 'level 3 is not granted from a level-2 session');
    assert.match(higher.text, /等级 3/);
  });
});
