/**
 * Redaction by construction, proven on a full run: with LOG_LEVEL=debug, every line the service
 * writes while it serves a password sign-in, a text-code sign-in, a client_credentials grant, a
 * refresh, an introspection, a bearer call to userinfo, refused requests and a counter visit
 * with a printed code is captured (the logger's own output and anything written to stdout or
 * stderr), and none of the secrets or personal data used contains a hit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import cookiejar from 'cookiejar';
import { startStack, type Stack } from './support/stack.ts';
import { addClient, basic, type TestClient } from './support/clients.ts';
import { authUrl, Browser, codeFrom } from './support/browser.ts';
import { enrolCitizen, passwordLogin } from './support/login.ts';
import { offlineCode, redeemCode, refresh } from './oidc/tokens.ts';
import { bindPhone, latestCode, openMethod, resetSandbox } from './providers/sms-otp/steps.ts';
import { act, seedCentres, staffConsole, verifyFields } from './counter/support.ts';
import { redeem, throughConsent } from './faults/outage-steps.ts';
import { citizen } from '../src/sandbox/citizens.ts';
import { captureLogs } from '../src/log.ts';

const PASSWORD = 'Osmanthus2026quay';
const WRONG_PASSWORD = 'Typhoon1999ferry';

/** Everything written to stdout and stderr until stop(), passed on as well. */
function teeOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  return {
    text: () => chunks.join(''),
    stop: () => streams.forEach((s, i) => void (s.write = originals[i] as typeof s.write)),
  };
}

/** The cookie values `browser` holds now. */
function cookiesIn(browser: Browser): string[] {
  const jar = (browser.agent as unknown as { jar: cookiejar.CookieJar }).jar;
  return jar.getCookies(cookiejar.CookieAccessInfo.All).map((c) => c.value).filter((v) => v.length >= 8);
}

/** Every cookie value the service sets in `browser`, as it is set (interaction cookies are gone by the end). */
function watchCookies(browser: Browser): string[] {
  const seen: string[] = [];
  (browser.agent as unknown as { on(e: 'response', f: (res: { headers: Record<string, string[] | undefined> }) => void): void }).on('response', (res) => {
    for (const header of res.headers['set-cookie'] ?? []) {
      const value = new cookiejar.Cookie(header).value;
      if (value.length >= 8) seen.push(value);
    }
  });
  return seen;
}

describe('no secret or personal datum reaches the log', () => {
  let stack: Stack;
  let client: TestClient;
  let logs: ReturnType<typeof captureLogs>;
  let output: ReturnType<typeof teeOutput>;
  // what the run used: name → value
  const used = new Map<string, string>();
  // a Chinese name is two or three characters; everything else is looked for from four
  const use = (what: string, value: unknown, shortest = what === 'name' ? 2 : 4) => {
    assert.equal(typeof value, 'string', what);
    assert.ok((value as string).length >= shortest, `${what} is long enough to search for`);
    used.set(`${what} #${used.size}`, value as string);
  };

  before(async () => {
    logs = captureLogs('debug');
    output = teeOutput();
    stack = await startStack({ env: { LOG_LEVEL: 'debug' } });
    client = await addClient(stack, 'dept-secrets', { tongban_first_party: true });
    await seedCentres(stack);
  });
  after(async () => {
    output?.stop();
    logs?.restore();
    await client?.rp.close();
    await stack?.close();
  });

  it('runs every flow at debug level with nothing of theirs in the lines', { timeout: 240_000 }, async () => {
    const li = await enrolCitizen(stack, 'li-na', PASSWORD);
    use('ID number', li.idNumber);
    use('name', li.name);
    use('password', PASSWORD);
    use('client secret', client.secret);
    use('client authorization header', basic(client));

    // a password sign-in with offline access, the code exchange, a refresh, introspection, userinfo
    const browser = new Browser(stack.issuer);
    const cookies = watchCookies(browser);
    const wrong = await passwordLogin(browser, (await browser.open(authUrl(client.clientId, client.redirectUri).url)).text, li.idNumber, WRONG_PASSWORD);
    assert.equal(wrong.status, 401);
    use('wrong password', WRONG_PASSWORD);
    const issued = await offlineCode(browser, client, li.idNumber, PASSWORD);
    use('authorization code', issued.code);
    use('PKCE verifier', issued.verifier);
    const tokens = await redeemCode(stack.issuer, client, issued);
    assert.equal(tokens.status, 200, tokens.text);
    use('access token', tokens.body.access_token);
    use('refresh token', tokens.body.refresh_token);
    use('ID token', tokens.body.id_token);
    const refreshed = await refresh(stack.issuer, client, tokens.body.refresh_token);
    assert.equal(refreshed.status, 200, refreshed.text);
    use('refreshed access token', refreshed.body.access_token);
    use('rotated refresh token', refreshed.body.refresh_token);
    const introspected = await request(stack.issuer).post('/token/introspection').set('Authorization', basic(client)).type('form').send({ token: refreshed.body.access_token });
    assert.equal(introspected.status, 200, introspected.text);
    assert.equal(introspected.body.active, true);
    const me = await request(stack.issuer).get('/me').set('Authorization', `Bearer ${refreshed.body.access_token}`);
    assert.equal(me.status, 200, me.text);
    use('bearer header', `Bearer ${refreshed.body.access_token}`);
    const replayed = await redeemCode(stack.issuer, client, issued);
    assert.equal(replayed.status, 400, 'a replayed code is refused (logged at debug)');

    // a text-code sign-in
    await resetSandbox(stack);
    await bindPhone(stack, 'zhang-wei');
    const zhang = citizen('zhang-wei');
    use('phone', zhang.phone);
    use('name', zhang.name);
    use('ID number', zhang.idNumber);
    const texting = new Browser(stack.issuer);
    const textingCookies = watchCookies(texting);
    const smsReq = authUrl(client.clientId, client.redirectUri);
    const sent = await texting.submit((await openMethod(texting, smsReq.url, 'sms-otp')).text, /method\/sms-otp/, { phone: zhang.phone! });
    assert.equal(sent.status, 200);
    const otp = await latestCode(stack, zhang.phone!);
    use('text-message code', otp);
    const smsDone = await throughConsent(texting, await texting.submit(sent.text, /method\/sms-otp/, { code: otp }));
    const smsTokens = await redeem(stack.issuer, client, { code: codeFrom(smsDone.location, smsReq.state), verifier: smsReq.verifier });
    assert.equal(smsTokens.status, 200, smsTokens.text);
    use('access token', smsTokens.body.access_token);

    // client_credentials with the secret, and with a wrong one
    const cc = await request(stack.issuer).post('/token').set('Authorization', basic(client)).type('form').send({ grant_type: 'client_credentials' });
    assert.equal(cc.status, 200, cc.text);
    use('client_credentials token', cc.body.access_token);
    const badSecret = `${client.secret.slice(0, -4)}zzzz`;
    const refused = await request(stack.issuer).post('/token').type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: badSecret });
    assert.equal(refused.status, 401, refused.text);
    use('wrong client secret', badSecret);

    // the counter: staff verify a citizen in person and print a code for her
    const { browser: desk, page } = await staffConsole(stack, 'yang-lei');
    const sun = citizen('sun-guilan');
    use('ID number', sun.idNumber);
    use('name', sun.name);
    const visit = await act(desk, page, /\/counter\/verify/, verifyFields('sun-guilan'));
    assert.equal(visit.status, 200, visit.text.slice(0, 300));
    const slip = await act(desk, visit, /\/counter\/code/, { reason: '无手机，需登录社保' });
    const counterCode = slip.text.match(/id="counter-code">([A-Z0-9 ]+)</)?.[1]?.replace(' ', '');
    use('counter code', counterCode);

    // the staff console's browser signs in inside the helper: the cookies it holds at the end
    for (const value of new Set([...cookies, ...textingCookies, ...cookiesIn(desk)])) use('cookie value', value);

    output.stop();
    const lines = logs.lines();
    const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${output.text()}`;

    assert.ok(lines.length > 20, `the run wrote ${lines.length} lines`);
    const hits: string[] = [];
    for (const [what, value] of used) {
      for (const form of new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])) {
        // a short all-digit code is looked for as a whole number, not inside an id or a time
        const pattern = /^\d{1,8}$/.test(form) ? new RegExp(`(?<![0-9a-f])${form}(?![0-9a-f])`) : null;
        if (pattern ? pattern.test(text) : text.includes(form)) hits.push(`${what}: ${form}`);
      }
    }
    assert.deepEqual(hits, [], `the log holds what it must not:\n${hits.join('\n')}`);

    // the run was logged: request lines of every kind, at info, and debug lines too
    const requests = lines.filter((l) => l.msg === 'request');
    const routes = new Set(requests.map((l) => `${l.method as string} ${l.route as string}`));
    for (const r of ['POST /token', 'POST /token/introspection', 'GET /me', 'POST /interaction/:id/method/id-card-password', 'POST /interaction/:id/method/sms-otp', 'POST /counter/verify', 'POST /counter/code']) {
      assert.ok(routes.has(r), `a request line for ${r} (have: ${[...routes].join(', ')})`);
    }
    for (const l of requests) {
      assert.equal(l.level, 'info');
      assert.match(String(l.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(String(l.requestId), /^[0-9a-f-]{36}$/);
      assert.equal(typeof l.status, 'number');
      assert.equal(typeof l.ms, 'number');
    }
    assert.ok(lines.some((l) => l.level === 'debug' && l.msg === 'protocol request refused'), 'debug lines are written');
    assert.ok(used.size >= 25, `searched for ${used.size} values`);
  });
});
