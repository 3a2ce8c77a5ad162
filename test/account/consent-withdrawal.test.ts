/**
 * The consent centre end to end: a department app with a back-channel logout endpoint signs the
 * citizen in with offline access; the citizen sees it on /account in plain words and withdraws.
 * Then the app's refresh token fails, its access token is inactive, it received a valid logout
 * token for that session, the next sign-in asks for consent again, and "my activity" shows it.
 * Refreshes running while the withdrawal runs leave no usable token behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { claimsOf, startLogoutReceiver, verifiedLogoutToken, type LogoutReceiver } from '../support/logout-receiver.ts';
import { introspect, offlineCode, redeemCode, refresh } from '../oidc/tokens.ts';

const password = 'Withdraw2026consent';

describe('consent centre: withdrawing a department', () => {
  let stack: Stack;
  let dept: TestClient;
  let receiver: LogoutReceiver;
  let idNumber: string;

  before(async () => {
    stack = await startStack();
    receiver = await startLogoutReceiver();
    dept = await addClient(stack, 'dept-withdraw', {
      client_name: '住房保障局',
      scope: 'openid profile offline_access',
      backchannel_logout_uri: receiver.url,
      backchannel_logout_session_required: true,
    });
    idNumber = (await enrolCitizen(stack, 'chen-jing', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await receiver?.close();
    await stack?.close();
  });

  /** A signed-in browser with the department's tokens (offline access) and the account page. */
  async function signedInWithTokens() {
    const browser = new Browser(stack.issuer);
    const tokens = await redeemCode(stack.issuer, dept, await offlineCode(browser, dept, idNumber, password));
    assert.equal(tokens.status, 200, tokens.text);
    const account = await browser.open('/account');
    assert.equal(account.status, 200, account.text.slice(0, 400));
    return { browser, account: account.text, tokens: tokens.body as { access_token: string; refresh_token: string; id_token: string } };
  }

  it('lists the department with what it receives in plain words, since when and its last use', async () => {
    const { account } = await signedInWithTokens();
    const section = account.slice(account.indexOf('id="consents"'), account.indexOf('id="sessions"'));
    assert.match(section, /住房保障局/);
    for (const words of ['姓名', '出生日期', '性别', '在该应用中的用户编号', '在您离开后继续保持访问', '您登录的时间和方式']) assert.ok(section.includes(words), words);
    assert.doesNotMatch(section, />\s*(act|sub|acr|amr|sid|auth_time|offline_access|birthdate)\s*</, 'no raw claim names');
    assert.doesNotMatch(section, /尚未使用/, 'the sign-in just now is its last use');
    const english = await new Browser(stack.issuer).open('/account?lang=en');
    assert.equal(english.status, 200);
  });

  it('revokes refresh and access tokens, logs the app out by back-channel, asks for consent again and shows in my activity', async () => {
    const { browser, account, tokens } = await signedInWithTokens();
    const idToken = claimsOf(tokens.id_token);
    assert.equal((await introspect(stack.issuer, dept, tokens.access_token)).active, true);
    const before = receiver.tokens.length;

    const done = await browser.submit(account, /\/account\/consents\/withdraw/, {});
    assert.equal(done.status, 200, done.text.slice(0, 400));
    assert.match(done.text, /已撤回授权/);
    const consents = done.text.slice(done.text.indexOf('id="consents"'), done.text.indexOf('id="sessions"'));
    assert.doesNotMatch(consents, /住房保障局/, 'no longer among the apps allowed');

    const refreshed = await refresh(stack.issuer, dept, tokens.refresh_token);
    assert.equal(refreshed.status, 400, refreshed.text);
    assert.equal(refreshed.body.error, 'invalid_grant');
    assert.equal((await introspect(stack.issuer, dept, tokens.access_token)).active, false);

    // one logout token for each of the person's sessions that signed in to the app (earlier
    // tests' browsers are still signed in), each valid and naming the person the app knows
    const received = await Promise.all(receiver.tokens.slice(before).map((tk) => verifiedLogoutToken(stack.issuer, dept.clientId, tk)));
    assert.ok(received.length >= 1);
    for (const logout of received) assert.equal(logout.sub, idToken.sub, 'the subject the app knows');
    assert.equal(received.filter((l) => l.sid === idToken.sid).length, 1, 'this session, by the sid the app knows');
    assert.equal(new Set(received.map((l) => l.sid)).size, received.length, 'one token per session');

    // the same browser, still signed in, asks the app's next sign-in for consent again
    const next = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile' });
    const again = await browser.open(next.url);
    assert.equal(again.status, 200, `a page, not a redirect with a code: ${again.location ?? ''}`);
    assert.match(again.text, /授权「Dept|授权「住房保障局/);
    assert.match(again.text, /action="[^"]*consent/);

    const activity = done.text.slice(done.text.indexOf('id="activity"'));
    assert.match(activity, /撤回对应用的授权<\/td><td>住房保障局/);
    const person = await stack.ctx.identity.findPersonIdByIdNumber(idNumber);
    const trail = await stack.ctx.audit.listForSubject((await stack.ctx.identity.getPerson(person!))!.idNumberIndex, 50);
    assert.ok(trail.some((r) => r.type === 'consent.withdrawn' && r.clientId === dept.clientId));
  });

  it('refuses a withdrawal without the page’s CSRF token, and one for a department never allowed', async () => {
    const { browser, account } = await signedInWithTokens();
    const forged = await browser.submit(account, /\/account\/consents\/withdraw/, {}, { dropCsrf: true });
    assert.equal(forged.status, 403);
    const unknown = await browser.submit(account, /\/account\/consents\/withdraw/, { client: 'never-allowed' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /invalid_input/);
    const empty = await browser.submit(account, /\/account\/consents\/withdraw/, { client: '' });
    assert.equal(empty.status, 400);
    // the app still works: nothing was withdrawn
    const still = await browser.open('/account');
    assert.match(still.text.slice(still.text.indexOf('id="consents"')), /住房保障局/);
  });

  it('refreshes running while the withdrawal runs yield no token that still works', async () => {
    type Pair = { access_token: string; refresh_token: string };
    /** Rotates the refresh token until the provider refuses; the last pair it issued. */
    async function keepRefreshing(first: Pair): Promise<{ last: Pair; issued: number }> {
      let last = first;
      let issued = 0;
      for (let i = 0; i < 500; i++) {
        const r = await refresh(stack.issuer, dept, last.refresh_token);
        if (r.status !== 200) {
          assert.equal(r.body.error, 'invalid_grant', r.text);
          break;
        }
        last = r.body as Pair;
        issued++;
      }
      return { last, issued };
    }
    for (let round = 0; round < 2; round++) {
      // three sessions, so three grants with offline access, each refreshed in a loop
      const signedIn = [await signedInWithTokens(), await signedInWithTokens(), await signedInWithTokens()];
      const chains = signedIn.map((s) => keepRefreshing(s.tokens));
      const withdrawn = await signedIn[0]!.browser.submit(signedIn[0]!.account, /\/account\/consents\/withdraw/, {});
      assert.equal(withdrawn.status, 200, withdrawn.text.slice(0, 300));
      const ends = await Promise.all(chains);
      for (const [i, { last }] of ends.entries()) {
        const again = await refresh(stack.issuer, dept, last.refresh_token);
        assert.equal(again.status, 400, `round ${round}, chain ${i}: ${again.text}`);
        assert.equal((await introspect(stack.issuer, dept, last.access_token)).active, false, `round ${round}, chain ${i}`);
      }
    }
  });
});
