/**
 * "My data", the right of access: the signed-in citizen downloads everything held about them as
 * a JSON attachment: their record (their own ID number in full), their ways of signing in,
 * their consents and their activity; nothing of another person, and no secret.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import type { Citizen } from '../../src/sandbox/citizens.ts';

const password = 'MyData2026access';

describe('my data: downloading everything held about me', () => {
  let stack: Stack;
  let dept: TestClient;
  let me: Citizen;
  let other: Citizen;

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'dept-mydata', { client_name: '公积金中心' });
    me = await enrolCitizen(stack, 'huang-qiang', password);
    other = await enrolCitizen(stack, 'zhou-xiuying', password);
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  /** Signs `who` in to the department (consent given), then opens their account page. */
  async function signedIn(who: Citizen) {
    const browser = new Browser(stack.issuer);
    const req = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile phone' });
    let page = await browser.open(req.url);
    page = await passwordLogin(browser, page.text, who.idNumber, password);
    if (/action="[^"]*consent/.test(page.text)) page = await browser.submit(page.text, /consent/, { decision: 'allow' });
    codeFrom(page.location, req.state);
    const account = await browser.open('/account');
    assert.equal(account.status, 200, account.text.slice(0, 300));
    return { browser, account: account.text };
  }

  /** The form's fields and a raw POST, to read the download's headers. */
  function download(browser: Browser, account: string, csrf?: string) {
    const token = csrf ?? account.match(/action="\/account\/my-data">\s*<input type="hidden" name="csrf" value="([^"]+)"/)?.[1];
    assert.ok(token, 'the page has the download form');
    return browser.agent.post('/account/my-data').type('form').send({ csrf: token }).redirects(0);
  }

  it('gives the person’s record, methods, consents and activity as a JSON attachment, audited', async () => {
    await signedIn(other);
    const { browser, account } = await signedIn(me);
    const res = await download(browser, account);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="tongban-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    assert.equal(res.headers['cache-control'], 'no-store');

    const data = JSON.parse(res.text) as {
      format: string;
      person: Record<string, unknown>;
      methods: Array<Record<string, unknown>>;
      consents: Array<{ department: { id: string; name: string }; receives: string[]; scopes: string[]; grantedAt: string; withdrawnAt: string | null }>;
      sessions: Array<Record<string, unknown>>;
      activity: Array<{ type: string; at: string; department: { id: string } | null }>;
    };
    assert.equal(data.format, 'tongban-my-data/1');
    assert.deepEqual(data.person, { idNumber: me.idNumber, name: me.name, phone: me.phone, birthdate: me.birthdate, gender: me.gender, proofing: 'remote' });
    assert.deepEqual(data.methods.map((m) => [m.method, m.status]), [['id-card-password', 'active']]);
    assert.equal(typeof data.methods[0]!.lastUsedAt, 'string');
    assert.equal(data.consents.length, 1);
    assert.deepEqual(data.consents[0]!.department, { id: dept.clientId, name: '公积金中心' });
    assert.ok(data.consents[0]!.receives.includes('手机号码'));
    assert.equal(data.consents[0]!.withdrawnAt, null);
    assert.equal(data.sessions.length, 1);
    const types = data.activity.map((a) => a.type);
    for (const t of ['login.succeeded', 'consent.granted']) assert.ok(types.includes(t), t);
    assert.ok(data.activity.some((a) => a.type === 'login.succeeded' && a.department?.id === dept.clientId));

    // nothing of the other person, and nothing secret or internal
    const text = res.text;
    const otherPerson = (await stack.ctx.identity.getPerson((await stack.ctx.identity.findPersonIdByIdNumber(other.idNumber))!))!;
    const mine = (await stack.ctx.identity.getPerson((await stack.ctx.identity.findPersonIdByIdNumber(me.idNumber))!))!;
    for (const leak of [other.idNumber, other.name, other.phone!, otherPerson.id, otherPerson.idNumberIndex]) assert.equal(text.includes(leak), false, `no ${leak}`);
    for (const secret of ['$argon2', 'secret', 'hash', 'Index', mine.idNumberIndex, 'staffId']) assert.equal(text.includes(secret), false, `no ${secret}`);

    const trail = await stack.ctx.audit.listForSubject(mine.idNumberIndex, 50);
    assert.ok(trail.some((r) => r.type === 'data.exported'), 'the download is audited');
    const page = await browser.open('/account');
    assert.match(page.text.slice(page.text.indexOf('id="activity"')), /下载了我的数据/);
  });

  it('refuses a download without the page’s CSRF token, and sends a stranger to sign in', async () => {
    const { browser, account } = await signedIn(me);
    const forged = await download(browser, account, 'x'.repeat(43));
    assert.equal(forged.status, 403);
    assert.doesNotMatch(forged.text, new RegExp(me.idNumber));
    const stranger = await new Browser(stack.issuer).agent.post('/account/my-data').type('form').send({ csrf: 'x' }).redirects(0);
    assert.equal(stranger.status, 303);
    assert.match(String(stranger.headers.location), /^\/auth\?/);
  });
});
