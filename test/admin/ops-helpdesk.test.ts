/**
 * Helpdesk end to end: an admin with the helpdesk role finds a citizen by ID number (through the
 * blind index; the number never comes back or reaches the trail), sees the citizen's methods, the
 * lock strangers caused and the sessions; lifts the lock (the citizen signs in again at once) and
 * ends every session (the department app receives a valid back-channel logout token per
 * session); each step audited with actor, roles, reason and source, and in the citizen's
 * activity. Refusals: another role, bad input, an unknown citizen, another admin's look-up.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { startLogoutReceiver, verifiedLogoutToken, claimsOf, type LogoutReceiver } from '../support/logout-receiver.ts';
import { adminConsole, adminToken, createAdmin, type AdminConsole } from '../support/admin.ts';
import { redeemCode } from '../oidc/tokens.ts';
import { codeFrom } from '../support/browser.ts';

const password = 'Helpdesk2026right';

describe('helpdesk: find a citizen, lift a lock, end every session', () => {
  let stack: Stack;
  let dept: TestClient;
  let receiver: LogoutReceiver;
  let idNumber: string;
  let hd: AdminConsole;
  let probes = 0;

  before(async () => {
    // two failures from anywhere pause the password for 10 minutes: a lock a stranger can cause
    stack = await startStack({ env: { TRUST_PROXY: '1' }, rateScopes: { id: { threshold: 2, windowSeconds: 900, baseSeconds: 600, maxSeconds: 600, escalate: false } } });
    receiver = await startLogoutReceiver();
    dept = await addClient(stack, 'dept-helpdesk', { client_name: '公积金中心', backchannel_logout_uri: receiver.url, backchannel_logout_session_required: true });
    idNumber = (await enrolCitizen(stack, 'li-na', password)).idNumber;
    await createAdmin(stack, 'zhang-wei', ['helpdesk']);
    hd = await adminConsole(stack, 'zhang-wei');
  });
  after(async () => {
    await dept?.rp.close();
    await receiver?.close();
    await stack?.close();
  });

  /** a browser on a device and address never seen for this citizen */
  function newDevice(): Browser {
    const b = new Browser(stack.issuer);
    b.agent.set('X-Forwarded-For', `198.51.100.${10 + ++probes}`);
    return b;
  }
  async function trySignIn(b: Browser, pw: string) {
    const req = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile' });
    let page = await passwordLogin(b, (await b.open(req.url)).text, idNumber, pw);
    if (/action="[^"]*consent/.test(page.text)) page = await b.submit(page.text, /consent/, { decision: 'allow' });
    return { page, req };
  }
  async function signedInSession(b: Browser) {
    const { page, req } = await trySignIn(b, password);
    assert.ok(page.location?.startsWith(dept.redirectUri), `signed in: ${page.status} ${page.text.slice(0, 300)}`);
    const tokens = await redeemCode(stack.issuer, dept, { code: codeFrom(page.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    return claimsOf((tokens.body as { id_token: string }).id_token);
  }
  async function lookUp(reason = 'citizen phoned: cannot sign in') {
    const res = await hd.api.post('/admin/api/helpdesk/lookups').send({ id_number: idNumber, reason });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.text.includes(idNumber), false, 'the number is not sent back');
    return res.body.lookup_id as string;
  }
  const trail = async () => {
    const personId = (await stack.ctx.identity.findPersonIdByIdNumber(idNumber))!;
    const person = (await stack.ctx.identity.getPerson(personId))!;
    return stack.ctx.audit.listForSubject(person.idNumberIndex, 100);
  };

  it('shows the lock a stranger caused, lifts it with a reason, and the citizen signs in again', async () => {
    for (let i = 0; i < 3; i++) await trySignIn(newDevice(), 'wrong-password-1');
    const refused = await trySignIn(newDevice(), password);
    assert.equal(refused.page.location?.startsWith(dept.redirectUri) ?? false, false, 'locked: the right password from a new device waits');

    const id = await lookUp();
    const view = await hd.api.get(`/admin/api/helpdesk/lookups/${id}`);
    assert.equal(view.status, 200, view.text);
    assert.equal(view.body.masked_name, '李*');
    assert.deepEqual(view.body.methods.map((m: { method: string }) => m.method), ['id-card-password']);
    const lock = view.body.locks.find((l: { scope: string }) => l.scope === 'id');
    assert.ok(lock, `the lock is shown: ${view.text}`);
    assert.equal(lock.method, 'id-card-password');
    assert.equal(view.text.includes(idNumber), false);

    const noReason = await hd.api.post(`/admin/api/helpdesk/lookups/${id}/lift`).send({});
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error, 'admin_reason_required');
    const lifted = await hd.api.post(`/admin/api/helpdesk/lookups/${id}/lift`).send({ reason: 'verified by callback to the registered phone' });
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal((await hd.api.get(`/admin/api/helpdesk/lookups/${id}`)).body.locks.length, 0, 'no lock in force any more');

    await signedInSession(newDevice());
    const rows = await trail();
    const lift = rows.find((r) => r.type === 'helpdesk.lockout_lifted');
    assert.ok(lift);
    assert.equal(lift.data.reason, 'verified by callback to the registered phone');
    assert.deepEqual(lift.data.roles, ['helpdesk']);
    assert.match(String(lift.data.actorId), /^person:/);
    assert.ok(lift.source, 'the admin’s address');
    assert.ok(rows.some((r) => r.type === 'helpdesk.looked_up' && r.data.reason === 'citizen phoned: cannot sign in'));
    const all = await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE data::text LIKE $1 OR source LIKE $1`, [`%${idNumber}%`]);
    assert.equal(all.rows[0]!.n, '0', 'the ID number is nowhere in the trail');
  });

  it('ends every session: the department receives a logout token per session and the citizen sees it', async () => {
    const pc = new Browser(stack.issuer);
    const phone = new Browser(stack.issuer);
    const sids = [(await signedInSession(pc)).sid, (await signedInSession(phone)).sid];
    const id = await lookUp('citizen reports a lost phone');
    const view = await hd.api.get(`/admin/api/helpdesk/lookups/${id}`);
    assert.ok(view.body.sessions.length >= 2, view.text);
    assert.ok(view.body.sessions.every((s: { departments: string[] }) => s.departments.includes('公积金中心')));

    const before = receiver.tokens.length;
    const ended = await hd.api.post(`/admin/api/helpdesk/lookups/${id}/end-sessions`).send({ reason: 'lost phone, citizen asked' });
    assert.equal(ended.status, 200, ended.text);
    assert.ok(ended.body.sessions >= 2);
    const received = await Promise.all(receiver.tokens.slice(before).map((tk) => verifiedLogoutToken(stack.issuer, dept.clientId, tk)));
    for (const sid of sids) assert.ok(received.some((l) => l.sid === sid), 'a logout token for each session');
    assert.equal((await hd.api.get(`/admin/api/helpdesk/lookups/${id}`)).body.sessions.length, 0);

    // the citizen's browser is signed out: the department's next request asks for a sign-in again
    const again = await pc.open(authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile' }).url);
    assert.match(again.text, /method\/id-card-password/);
    // and "my activity" says who did what
    await signedInSession(pc);
    const account = await pc.open('/account?lang=en');
    const activity = account.text.slice(account.text.indexOf('id="activity"'));
    for (const words of ['The helpdesk ended all your sessions', 'The helpdesk lifted your sign-in locks', 'The helpdesk looked at your account']) assert.ok(activity.includes(words), words);
  });

  it('works from the console pages without script: find, see, act; the number is never in a URL or the page', async () => {
    const found = await hd.form('/admin/helpdesk/lookup', { id_number: idNumber, reason: 'page check' });
    assert.equal(found.status, 303, found.text);
    const where = found.headers.location as string;
    assert.match(where, /^\/admin\/helpdesk\/c\/[A-Za-z0-9_-]{24}$/);
    const page = await hd.open(where);
    assert.equal(page.status, 200);
    assert.match(page.text, /李\*/);
    assert.equal(page.text.includes(idNumber), false);
    const lifted = await hd.form(`${where}/lift`, { reason: 'page lift' });
    assert.equal(lifted.status, 303);
    assert.match((await hd.open(lifted.headers.location as string)).text, /已解除登录锁定/);
  });

  it('refuses other roles, bad numbers, unknown citizens and another admin’s look-up', async () => {
    const auditor = await adminToken(stack, ['auditor']);
    const asAuditor = await (await import('supertest')).default(stack.issuer)
      .post('/admin/api/helpdesk/lookups')
      .set('Authorization', `Bearer ${auditor.token}`)
      .send({ id_number: idNumber, reason: 'curious' });
    assert.equal(asAuditor.status, 403);
    assert.equal(asAuditor.body.error, 'admin_role_required');

    const bad = await hd.api.post('/admin/api/helpdesk/lookups').send({ id_number: `${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}`, reason: 'typo' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'id_number_checksum');
    assert.ok(bad.body.message['zh-CN'] && bad.body.message.en);
    const unknown = await hd.api.post('/admin/api/helpdesk/lookups').send({ id_number: '110101199003074514', reason: 'not enrolled' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'admin_citizen_not_found');

    const id = await lookUp();
    const bot = await adminToken(stack, ['helpdesk']);
    const other = await (await import('supertest')).default(stack.issuer).get(`/admin/api/helpdesk/lookups/${id}`).set('Authorization', `Bearer ${bot.token}`);
    assert.equal(other.status, 404);
    assert.equal(other.body.error, 'admin_lookup_expired');
  });
});
