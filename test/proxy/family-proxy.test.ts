/**
 * Family proxy end to end, through real HTTP: a citizen names a helper on /account/proxy, the
 * helper accepts; the helper's sign-in to a covered department offers "as myself / on behalf
 * of"; on behalf, the ID token carries the citizen's own sub and `act.sub` the helper's sub at
 * that department. Refused where the department disallows it, outside the mandate, after it
 * ended, for level-3 requests, and at once after revocation (a sign-in started before included).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { claimsOf } from '../support/logout-receiver.ts';
import { redeemCode } from '../oidc/tokens.ts';
import { createMandateStore } from '../../src/proxy/index.ts';
import type { Citizen } from '../../src/sandbox/citizens.ts';

const password = 'Proxy2026family';

describe('family proxy', { timeout: 300_000 }, () => {
  let stack: Stack;
  let dept: TestClient;
  let other: TestClient;
  let refusing: TestClient;
  let citizen: Citizen;
  let helper: Citizen;
  let citizenBrowser: Browser;
  let mandateId: string;

  /** Signs `who` in to `client` in `browser`; returns the page after the password (a choice page or the redirect back). */
  async function signIn(browser: Browser, client: TestClient, who: Citizen, extra: Record<string, string> = {}) {
    const req = authUrl(client.clientId, client.redirectUri, extra);
    let page = await browser.open(req.url);
    if (/method\/id-card-password/.test(page.text)) page = await passwordLogin(browser, page.text, who.idNumber, password);
    return { req, page };
  }

  async function idToken(client: TestClient, code: string, verifier: string) {
    const res = await redeemCode(stack.issuer, client, { code, verifier });
    assert.equal(res.status, 200, res.text);
    return { claims: claimsOf(res.body.id_token as string), accessToken: res.body.access_token as string };
  }

  /** The sub `who` has at `client`, from a sign-in of their own (choosing "as myself" where offered). */
  async function ownSub(client: TestClient, who: Citizen): Promise<string> {
    const browser = new Browser(stack.issuer);
    const { req, page } = await signIn(browser, client, who);
    const back = page.location ? page : await browser.submit(page.text, /on-behalf/, { as: 'self' });
    const t = await idToken(client, codeFrom(back.location, req.state), req.verifier);
    assert.equal(t.claims.act, undefined, 'a sign-in as oneself names no one else');
    return t.claims.sub as string;
  }

  before(async () => {
    // password sign-ins reach level 3 here, so level-3 requests can be made by the helper too
    stack = await startStack({ methodSettings: { 'id-card-password': { enabled: true, level: 3 } } });
    dept = await addClient(stack, 'dept-civil', { client_name: '民政局', tongban_first_party: true });
    other = await addClient(stack, 'dept-tax', { client_name: '税务局', tongban_first_party: true });
    refusing = await addClient(stack, 'dept-court', { client_name: '法院', tongban_first_party: true, tongban_proxy_allowed: false });
    citizen = await enrolCitizen(stack, 'zhou-xiuying', password);
    helper = await enrolCitizen(stack, 'wu-haoran', password);
    citizenBrowser = new Browser(stack.issuer);
  });
  after(async () => {
    for (const c of [dept, other, refusing]) await c?.rp.close();
    await stack?.close();
  });

  it('is set up by the citizen (ID number through the blind index) and accepted by the helper, on both records', async () => {
    let page = await citizenBrowser.open('/account/proxy');
    if (/method\/id-card-password/.test(page.text)) page = await passwordLogin(citizenBrowser, page.text, citizen.idNumber, password);
    page = await citizenBrowser.open('/account/proxy');
    assert.equal(page.status, 200, page.text.slice(0, 400));
    assert.match(page.text, /民政局/);
    assert.doesNotMatch(page.text, /法院/, 'a department that refuses proxies is not offered');

    const noCsrf = await citizenBrowser.submit(page.text, /^\/account\/proxy$/, { helper_id_number: helper.idNumber, clients: dept.clientId, scopes: 'profile', until: '2099-01-01' }, { dropCsrf: true });
    assert.equal(noCsrf.status, 403);
    const tooLong = await citizenBrowser.submit(page.text, /^\/account\/proxy$/, { helper_id_number: helper.idNumber, clients: dept.clientId, scopes: 'profile', until: '2099-01-01' });
    assert.equal(tooLong.status, 400, 'at most a year');
    const notOffered = await citizenBrowser.submit(page.text, /^\/account\/proxy$/, { helper_id_number: helper.idNumber, clients: refusing.clientId, scopes: 'profile', until: inDays(30) });
    assert.equal(notOffered.status, 400);

    const sent = await citizenBrowser.submit(page.text, /^\/account\/proxy$/, { helper_id_number: helper.idNumber, clients: dept.clientId, scopes: 'profile', until: inDays(30) });
    assert.equal(sent.status, 200, sent.text.slice(0, 400));
    assert.match(sent.text, /已发送代办请求/);
    assert.match(sent.text, /吴浩然/);

    const helperBrowser = new Browser(stack.issuer);
    let mine = await helperBrowser.open('/account/proxy');
    if (/method\/id-card-password/.test(mine.text)) await passwordLogin(helperBrowser, mine.text, helper.idNumber, password);
    mine = await helperBrowser.open('/account/proxy');
    assert.match(mine.text, /周秀英/);
    const accepted = await helperBrowser.submit(mine.text, /\/account\/proxy\/accept/, {});
    assert.equal(accepted.status, 200, accepted.text.slice(0, 400));
    assert.match(accepted.text, /已接受代办/);
    mandateId = (await stack.ctx.db.query<{ id: string }>('SELECT id FROM proxy_mandates')).rows[0]!.id;

    const rows = await stack.ctx.db.query<{ type: string; role: string; data: string }>(
      "SELECT type, data->>'role' AS role, data::text AS data FROM audit_log WHERE type IN ('proxy.requested', 'proxy.accepted') ORDER BY seq",
    );
    assert.deepEqual(rows.rows.map((r) => `${r.type}/${r.role}`), ['proxy.requested/citizen', 'proxy.requested/helper', 'proxy.accepted/citizen', 'proxy.accepted/helper']);
    for (const r of rows.rows) assert.ok(!r.data.includes(helper.idNumber) && !r.data.includes(citizen.idNumber), 'no ID number in the audit trail');
  });

  it('lets the helper sign in on behalf: the citizen’s own sub, and act.sub the helper’s sub at that department', async () => {
    const citizenSub = await ownSub(dept, citizen);
    const helperSub = await ownSub(dept, helper);
    assert.notEqual(citizenSub, helperSub);

    const browser = new Browser(stack.issuer);
    const { req, page } = await signIn(browser, dept, helper);
    assert.equal(page.status, 200, page.text.slice(0, 400));
    assert.match(page.text, /代 周秀英 登录/, 'the helper sees whom they would act for');
    assert.match(page.text, /以我本人身份登录/);
    const back = await browser.submit(page.text, /on-behalf/, { as: mandateId });
    const t = await idToken(dept, codeFrom(back.location, req.state), req.verifier);
    assert.equal(t.claims.sub, citizenSub);
    assert.deepEqual(t.claims.act, { sub: helperSub });
    const info = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${t.accessToken}`);
    assert.equal(info.status, 200, info.text);
    assert.equal(info.body.sub, citizenSub);
    assert.deepEqual(info.body.act, { sub: helperSub });

    // the session made for the citizen serves this department only, and never opens their account page
    const elsewhere = await browser.open(authUrl(other.clientId, other.redirectUri).url);
    assert.equal(elsewhere.location, undefined, 'another department asks for a sign-in again');
    const account = await browser.open('/account/proxy');
    assert.doesNotMatch(account.text, /周秀英/);

    const signedIn = await stack.ctx.db.query<{ role: string; client_id: string }>("SELECT data->>'role' AS role, client_id FROM audit_log WHERE type = 'proxy.signed_in' ORDER BY seq");
    assert.deepEqual(signedIn.rows.map((r) => `${r.role}@${r.client_id}`), ['citizen@dept-civil', 'helper@dept-civil']);
    const citizenActivity = await citizenBrowser.open('/account');
    assert.match(citizenActivity.text, /您的代办人代您登录/);
  });

  it('tells a proxied session from the citizen’s own sign-in made in the same second', async () => {
    for (let attempt = 1; ; attempt++) {
      // the citizen at their own password form, the helper at the choice; the last steps at once
      const own = new Browser(stack.issuer);
      const ownReq = authUrl(other.clientId, other.redirectUri);
      const chooser = await own.open(ownReq.url);
      const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/);
      assert.ok(link, 'the chooser offers the password method');
      const form = await own.open(link[1]!);
      const proxied = new Browser(stack.issuer);
      const { req, page } = await signIn(proxied, dept, helper);
      const [ownBack, proxiedBack] = await Promise.all([
        own.submit(form.text, /method\/id-card-password/, { id_number: citizen.idNumber, password }),
        proxied.submit(page.text, /on-behalf/, { as: mandateId }),
      ]);
      const mine = await idToken(other, codeFrom(ownBack.location, ownReq.state), ownReq.verifier);
      const onBehalf = await idToken(dept, codeFrom(proxiedBack.location, req.state), req.verifier);
      assert.ok(onBehalf.claims.act, 'the helper signed in on the citizen’s behalf');
      assert.equal(mine.claims.act, undefined);
      if (mine.claims.auth_time !== onBehalf.claims.auth_time) {
        assert.ok(attempt < 10, 'ten tries without both sign-ins in one second');
        continue;
      }
      // the citizen's own session opens their account page and another department at once
      const account = await own.open('/account/proxy');
      assert.equal(account.status, 200);
      assert.match(account.text, /吴浩然/, 'the citizen’s own account page, not a sign-in');
      const again = await own.open(authUrl(dept.clientId, dept.redirectUri).url);
      assert.ok(again.location, 'the citizen’s own session signs in to another department without asking');
      // the proxied one still serves its department only
      const elsewhere = await proxied.open(authUrl(other.clientId, other.redirectUri).url);
      assert.equal(elsewhere.location, undefined, 'the proxied session is asked to sign in elsewhere');
      break;
    }
  });

  it('is not offered outside the mandate, where the department refuses it, after it ended, or for a level-3 request', async () => {
    const mandates = createMandateStore(stack.ctx.db);
    const citizenId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen.idNumber))!;
    const helperId = (await stack.ctx.identity.findPersonIdByIdNumber(helper.idNumber))!;
    const day = 86_400_000;
    await stack.ctx.db.transaction(async (tx) => {
      // accepted mandates the set-up page would not make: one for a refusing department, one that ended
      await mandates.create({ citizenId, helperId, clientIds: [refusing.clientId], scopes: ['profile'], validFrom: new Date(), validUntil: new Date(Date.now() + day), createdVia: 'counter', accepted: true }, tx);
      await mandates.create({ citizenId, helperId, clientIds: [other.clientId], scopes: ['profile'], validFrom: new Date(Date.now() - 30 * day), validUntil: new Date(Date.now() - 60_000), createdVia: 'counter', accepted: true }, tx);
    });
    for (const [client, extra] of [[other, {}], [refusing, {}], [dept, { acr_values: 'urn:tongban:loa:3' }]] as const) {
      const { req, page } = await signIn(new Browser(stack.issuer), client, helper, extra);
      assert.ok(page.location, `${client.clientId}: straight back to the department, no choice offered`);
      const t = await idToken(client, codeFrom(page.location, req.state), req.verifier);
      assert.equal(t.claims.act, undefined);
      assert.equal(t.claims.sub, await ownSub(client, helper));
    }
    // a scope the mandate does not cover is not asked on the citizen's behalf either
    const wider = await signIn(new Browser(stack.issuer), dept, helper, { scope: 'openid profile phone' });
    assert.ok(wider.page.location, 'no choice for a request beyond the mandate');
  });

  it('stops at once when the citizen revokes: a choice made after, a code redeemed after, a token used after', async () => {
    const browser = new Browser(stack.issuer);
    const first = await signIn(browser, dept, helper);
    const issued = await browser.submit(first.page.text, /on-behalf/, { as: mandateId });
    const tokens = await idToken(dept, codeFrom(issued.location, first.req.state), first.req.verifier);
    // a code issued before the revocation and redeemed after
    const b2 = new Browser(stack.issuer);
    const second = await signIn(b2, dept, helper);
    const back2 = await b2.submit(second.page.text, /on-behalf/, { as: mandateId });
    const code2 = codeFrom(back2.location, second.req.state);
    // a sign-in started before the revocation, its choice made after
    const b3 = new Browser(stack.issuer);
    const third = await signIn(b3, dept, helper);
    assert.match(third.page.text, /代 周秀英 登录/);

    const page = await citizenBrowser.open('/account/proxy');
    const revoked = await citizenBrowser.submit(page.text, /\/account\/proxy\/revoke/, { mandate: mandateId });
    assert.equal(revoked.status, 200, revoked.text.slice(0, 400));
    assert.match(revoked.text, /已撤销，立即生效/);

    const late = await b3.submit(third.page.text, /on-behalf/, { as: mandateId });
    assert.equal(late.status, 403, late.text.slice(0, 400));
    assert.match(late.text, /现在不能代对方登录/);
    const redeemed = await redeemCode(stack.issuer, dept, { code: code2, verifier: second.req.verifier });
    assert.equal(redeemed.status, 400, redeemed.text);
    assert.equal(redeemed.body.error, 'invalid_grant');
    const info = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${tokens.accessToken}`);
    assert.equal(info.status, 401, info.text);
    // and it is no longer offered
    const after = await signIn(new Browser(stack.issuer), dept, helper);
    assert.ok(after.page.location, 'no choice once revoked');
    const refused = await stack.ctx.db.query("SELECT 1 FROM audit_log WHERE type = 'proxy.refused'");
    assert.equal(refused.rows.length, 1);
  });
});

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
}
