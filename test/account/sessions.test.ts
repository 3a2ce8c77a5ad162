/**
 * Where the citizen is signed in, and signing out everywhere: two browsers of one person, both
 * signed in to a department app; the account page lists both (device, since when, the app); sign
 * out everywhere ends both sessions, the app receives a valid logout token for each, the grants
 * that end with a logout are revoked, and the trail and "my activity" say so.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { claimsOf, startLogoutReceiver, verifiedLogoutToken, type LogoutReceiver } from '../support/logout-receiver.ts';
import { introspect, redeemCode } from '../oidc/tokens.ts';

const password = 'Sessions2026everywhere';
const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47';

describe('account sessions: where I am signed in, and signing out everywhere', () => {
  let stack: Stack;
  let dept: TestClient;
  let receiver: LogoutReceiver;
  let idNumber: string;

  before(async () => {
    stack = await startStack();
    receiver = await startLogoutReceiver();
    dept = await addClient(stack, 'dept-sessions', {
      client_name: '社保中心',
      backchannel_logout_uri: receiver.url,
      backchannel_logout_session_required: true,
    });
    idNumber = (await enrolCitizen(stack, 'zhao-min', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await receiver?.close();
    await stack?.close();
  });

  /** A browser with this user agent, signed in to the department (consent given) and its ID and access tokens. */
  async function signedIn(userAgent: string) {
    const browser = new Browser(stack.issuer);
    browser.agent.set('User-Agent', userAgent);
    const req = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile' });
    let page = await browser.open(req.url);
    page = await passwordLogin(browser, page.text, idNumber, password);
    if (/action="[^"]*consent/.test(page.text)) page = await browser.submit(page.text, /consent/, { decision: 'allow' });
    const tokens = await redeemCode(stack.issuer, dept, { code: codeFrom(page.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const body = tokens.body as { id_token: string; access_token: string };
    return { browser, idToken: claimsOf(body.id_token), accessToken: body.access_token };
  }

  it('lists each session with its device, when it signed in and the apps it signed in to, and ends them all', async () => {
    const pc = await signedIn(WINDOWS_CHROME);
    const phone = await signedIn(ANDROID_WECHAT);
    const account = await pc.browser.open('/account');
    assert.equal(account.status, 200, account.text.slice(0, 300));
    assert.equal((await pc.browser.agent.get('/account')).headers['cache-control'], 'no-store', 'a page with personal data is never cached');
    const section = account.text.slice(account.text.indexOf('id="sessions"'), account.text.indexOf('id="my-data"'));
    const rows = section.match(/<tr><td>[\s\S]*?<\/tr>/g) ?? [];
    assert.equal(rows.length, 2, section);
    assert.match(section, /Chrome · Windows <strong>（当前设备）<\/strong>/);
    assert.match(section, /WeChat · Android/);
    assert.equal(section.match(/社保中心/g)?.length, 2, 'the app under both sessions');

    const before = receiver.tokens.length;
    const ended = await pc.browser.submit(account.text, /\/account\/sessions\/end-all/, {});
    assert.equal(ended.status, 200);
    assert.match(ended.text, /您已在所有设备上退出登录/);
    assert.match(ended.text, /href="\/account"/, 'a way to sign in again');

    for (const b of [pc.browser, phone.browser]) {
      const again = await b.open('/account');
      assert.match(again.text, /选择登录方式/, 'signed out: the account page asks to sign in');
    }
    const received = await Promise.all(receiver.tokens.slice(before).map((tk) => verifiedLogoutToken(stack.issuer, dept.clientId, tk)));
    assert.deepEqual(received.map((l) => l.sid).sort(), [pc.idToken.sid, phone.idToken.sid].sort(), 'one logout token per session');
    for (const l of received) assert.equal(l.sub, pc.idToken.sub);
    for (const s of [pc, phone]) assert.equal((await introspect(stack.issuer, dept, s.accessToken)).active, false, 'grants without offline access end with the sessions');

    const person = (await stack.ctx.identity.getPerson((await stack.ctx.identity.findPersonIdByIdNumber(idNumber))!))!;
    const trail = await stack.ctx.audit.listForSubject(person.idNumberIndex, 50);
    const event = trail.find((r) => r.type === 'sessions.ended');
    assert.ok(event, 'audited');
    assert.equal(event.data.sessions, 2);

    const back = await signedIn(WINDOWS_CHROME);
    const page = await back.browser.open('/account');
    assert.match(page.text.slice(page.text.indexOf('id="activity"')), /在所有设备上退出登录/);
  });

  it('refuses to sign out everywhere without the page’s CSRF token', async () => {
    const pc = await signedIn(WINDOWS_CHROME);
    const account = await pc.browser.open('/account');
    const forged = await pc.browser.submit(account.text, /\/account\/sessions\/end-all/, {}, { csrf: 'x'.repeat(43) });
    assert.equal(forged.status, 403);
    const still = await pc.browser.open('/account');
    assert.match(still.text, /id="sessions"/, 'still signed in');
  });

  it('shows the controls in English too', async () => {
    const pc = await signedIn(WINDOWS_CHROME);
    const account = await pc.browser.open('/account?lang=en');
    for (const words of ['Apps I have allowed', 'Where I am signed in', '(this device)', 'Sign out everywhere', 'Download my data (JSON)', 'When and how you signed in']) {
      assert.ok(account.text.includes(words), words);
    }
    assert.match(account.text, /Withdraw consent from “社保中心”/);
  });
});
