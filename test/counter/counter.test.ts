/** The counter channel end to end: staff at level 3, in-person verification, counter codes, kiosks, recovery, trail. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, addKiosk, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { oneTimeCodes } from '../../src/interaction/method-context.ts';
import { act, seedCentres, staffConsole, verifyFields } from './support.ts';

describe('counter channel', () => {
  let stack: Stack;
  let dept: TestClient;

  before(async () => {
    stack = await startStack();
    await seedCentres(stack);
    dept = await addClient(stack, 'civil', { tongban_first_party: true });
    await addKiosk(stack, 'hall-kiosk-1', { name: '大厅自助机 1', scope: 'openid profile' });
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  it('lets staff in at level 3 only, and only active staff', async () => {
    // a staff member signed in at level 1 is asked for a level-3 method, never let in
    await enrolCitizen(stack, 'yang-lei', 'Counter2026pass');
    const b = new Browser(stack.issuer);
    const r = authUrl(dept.clientId, dept.redirectUri);
    await passwordLogin(b, (await b.open(r.url)).text, citizen('yang-lei').idNumber, 'Counter2026pass');
    const again = await b.open('/counter');
    assert.equal(again.status, 200);
    assert.match(again.text, /更高的安全等级/);
    assert.doesNotMatch(again.text, /<h1>窗口工作台/);
    assert.doesNotMatch(again.text, /method\/id-card-password/);

    // a citizen with a level-3 certificate who is not staff is refused
    const nb = new Browser(stack.issuer);
    const chooser = await nb.open('/counter');
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/)!;
    const { signWithSimulator } = await import('../providers/certificate/helpers.ts');
    const refused = await signWithSimulator(nb, await nb.open(link[1]!), 'chen-jing:valid');
    assert.equal(refused.status, 403);
    assert.match(refused.text, /counter_not_staff/);

    const { page } = await staffConsole(stack, 'yang-lei');
    assert.match(page.text, /黄浦区第一社区事务受理服务中心/);
  });

  it('verifies a new citizen and raises an existing one to in-person proofing; refuses bad card data', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const fresh = await act(browser, page, /\/counter\/verify/, verifyFields('sun-guilan'));
    assert.equal(fresh.status, 200);
    assert.match(fresh.text, /新开通/);
    const sun = await stack.ctx.identity.findPersonIdByIdNumber(citizen('sun-guilan').idNumber);
    assert.equal((await stack.ctx.identity.getPerson(sun!))!.proofing, 'in_person');

    await enrolCitizen(stack, 'wang-fang', 'Remote2026pass');
    const existing = await act(browser, fresh, /\/counter\/verify/, verifyFields('wang-fang'));
    assert.equal(existing.status, 200);
    const wang = await stack.ctx.identity.findPersonIdByIdNumber(citizen('wang-fang').idNumber);
    assert.equal((await stack.ctx.identity.getPerson(wang!))!.proofing, 'in_person');

    const expired = await act(browser, existing, /\/counter\/verify/, verifyFields('xu-li', { card_expiry: '2020-01-01' }));
    assert.equal(expired.status, 400);
    assert.match(expired.text, /counter_card_expired/);
    const xu = citizen('xu-li').idNumber;
    const badId = await act(browser, existing, /\/counter\/verify/, verifyFields('xu-li', { id_number: xu.slice(0, 17) + (xu.endsWith('0') ? '1' : '0') }));
    assert.equal(badId.status, 400);
    assert.match(badId.text, /id_number_checksum/);
    const noFace = await act(browser, existing, /\/counter\/verify/, verifyFields('xu-li', { face_match: '' }));
    assert.match(noFace.text, /counter_face_unconfirmed/);
    assert.equal(await stack.ctx.identity.personExists(citizen('xu-li').idNumber), false, 'nothing written for refused data');
  });

  it('refuses actions without an open visit', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const res = await browser.agent.post('/counter/code').type('form').send({ csrf: page.text.match(/name="csrf" value="([^"]+)"/)![1], reason: 'x' });
    assert.equal(res.status, 409);
    assert.match(res.text, /counter_no_visit/);
  });

  it('issues a counter code that signs the citizen in at level 2 once, and lets them choose a password', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('sun-guilan'));
    const slip = await act(browser, visit, /\/counter\/code/, { reason: '无手机，需登录社保' });
    const code = slip.text.match(/id="counter-code">([A-Z0-9 ]+)</)?.[1]?.replace(' ', '');
    assert.ok(code && code.length === 8, 'a printed 8-character code');
    assert.doesNotMatch(code, /[01OIL]/, 'no look-alike characters');

    const kiosk = new Browser(stack.issuer);
    const r = authUrl(dept.clientId, dept.redirectUri);
    const chooser = await kiosk.open(r.url);
    const form = await kiosk.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/counter-code)"/)![1]!);
    const pw = await kiosk.submit(form.text, /method\/counter-code/, { code: code.toLowerCase().replace(/(....)/, '$1 ') });
    assert.equal(pw.status, 200, pw.text.slice(0, 300));
    const done = await kiosk.submit(pw.text, /method\/counter-code/, { password: 'Guilan2026home' });
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(dept))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: dept.redirectUri, code_verifier: r.verifier });
    const idt = decodeJwt(token.body.id_token as string);
    assert.equal(idt.acr, 'urn:tongban:loa:2');
    assert.deepEqual(idt.amr, ['user']);

    // single use
    const again = new Browser(stack.issuer);
    const c2 = await again.open(authUrl(dept.clientId, dept.redirectUri).url);
    const f2 = await again.open(c2.text.match(/href="(\/interaction\/[^"]+\/method\/counter-code)"/)![1]!);
    const reuse = await again.submit(f2.text, /method\/counter-code/, { code });
    assert.equal(reuse.status, 401);
    assert.match(reuse.text, /counter_code_invalid/);

    // expired: what the TTL does
    const slip2 = await act(browser, slip, /\/counter\/code/, { reason: '再发一张' });
    const code2 = slip2.text.match(/id="counter-code">([A-Z0-9 ]+)</)![1]!.replace(' ', '');
    await stack.ctx.store.del([`m:counter-code:code:${oneTimeCodes(stack.ctx.keys.indexKey).digest(code2)}`]);
    const expired = await again.submit(f2.text, /method\/counter-code/, { code: code2 });
    assert.match(expired.text, /counter_code_invalid/);

    // the password chosen after the code works on its own
    const self = new Browser(stack.issuer);
    const r3 = authUrl(dept.clientId, dept.redirectUri);
    const d3 = await passwordLogin(self, (await self.open(r3.url)).text, citizen('sun-guilan').idNumber, 'Guilan2026home');
    assert.ok(d3.location?.startsWith(dept.redirectUri));
  });

  it('approves a kiosk device flow: tokens at level 3 with an act claim, no refresh token', async () => {
    const dev = await request(stack.issuer).post('/device/auth').type('form').send({ client_id: 'hall-kiosk-1', scope: 'openid profile' });
    assert.equal(dev.status, 200, dev.text);
    const { device_code, user_code } = dev.body as { device_code: string; user_code: string };
    const pending = await request(stack.issuer).post('/token').type('form').send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code, client_id: 'hall-kiosk-1' });
    assert.equal(pending.body.error, 'authorization_pending');

    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('sun-guilan'));
    const wrong = await act(browser, visit, /\/counter\/kiosk/, { user_code: 'BCDF-GHJK', reason: '自助机办理' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /counter_user_code_invalid/);
    const ok = await act(browser, visit, /\/counter\/kiosk/, { user_code: user_code.toLowerCase(), reason: '自助机办理' });
    assert.equal(ok.status, 200, ok.text.slice(0, 400));

    const tokens = await request(stack.issuer).post('/token').type('form').send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code, client_id: 'hall-kiosk-1' });
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.body.id_token, tokens.text);
    const idt = decodeJwt(tokens.body.id_token as string);
    assert.equal(idt.acr, 'urn:tongban:loa:3');
    assert.deepEqual(idt.amr, ['user']);
    assert.deepEqual(idt.act, { sub: `staff:${(await stack.ctx.identity.findPersonIdByIdNumber(citizen('yang-lei').idNumber))!}`, centre: 'huangpu-1', name: '3 号窗口 杨' });
    assert.equal(tokens.body.refresh_token, undefined);
    assert.ok((tokens.body.expires_in as number) <= 300, 'a kiosk session is short');
  });

  it('rebinds a phone only with another supervisor’s approval of the same centre, in time; tells both phones', async () => {
    const wang = citizen('wang-fang');
    const newPhone = '13700001111';
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('wang-fang'));
    const asked = await act(browser, visit, /\/counter\/requests/, { kind: 'rebind_phone', new_phone: newPhone, reason: '旧手机丢失' });
    assert.equal(asked.status, 200);
    assert.match(asked.text, /主管审批/);

    const other = await staffConsole(stack, 'liu-yang');
    assert.doesNotMatch(other.page.text, /旧手机丢失/, 'another centre does not see it');
    const id = (await stack.ctx.db.query<{ id: string }>("SELECT id FROM counter_requests WHERE status = 'pending'")).rows[0]!.id;
    const csrfOther = other.page.text.match(/name="csrf" value="([^"]+)"/)![1]!;
    const foreign = await other.browser.agent.post(`/counter/requests/${id}/approve`).type('form').send({ csrf: csrfOther });
    assert.equal(foreign.status, 403);
    assert.match(foreign.text, /counter_request_other_centre/);

    const sup = await staffConsole(stack, 'huang-qiang');
    assert.match(sup.page.text, /旧手机丢失/);
    const approved = await act(sup.browser, sup.page, new RegExp(`/counter/requests/${id}/approve`), {});
    assert.equal(approved.status, 200, approved.text.slice(0, 400));
    const person = (await stack.ctx.identity.getPerson((await stack.ctx.identity.findPersonIdByIdNumber(wang.idNumber))!))!;
    assert.equal(person.phone, newPhone);
    assert.ok(await stack.ctx.identity.findCredential('sms-otp', newPhone));
    for (const phone of [wang.phone!, newPhone]) {
      const box = (await (await fetch(`${stack.sandboxUrl}/sms/outbox.json?phone=${phone}`)).json()) as Array<{ text: string }>;
      assert.ok(box.some((m) => m.text.includes('绑定手机已在服务中心窗口更换')), `told ${phone}`);
    }

    // a supervisor approving their own request is refused, and so is a late approval
    const own = await act(sup.browser, await act(sup.browser, sup.page, /\/counter\/verify/, verifyFields('wang-fang')), /\/counter\/requests/, {
      kind: 'reset_password',
      reason: '忘记密码',
    });
    const ownId = (await stack.ctx.db.query<{ id: string }>("SELECT id FROM counter_requests WHERE status = 'pending'")).rows[0]!.id;
    const self = await act(sup.browser, own, new RegExp(`/counter/requests/${ownId}/approve`), {});
    assert.equal(self.status, 403);
    assert.match(self.text, /counter_request_self/);
    await stack.ctx.db.query("UPDATE counter_requests SET expires_at = now() - interval '1 minute' WHERE id = $1", [ownId]);
    const late = await (await staffConsole(stack, 'yang-lei')).browser.agent.post(`/counter/requests/${ownId}/approve`);
    assert.ok(late.status >= 400);
    const { rows } = await stack.ctx.db.query<{ data: { why: string } }>("SELECT data FROM audit_log WHERE type = 'counter.refused'");
    assert.ok(rows.some((r) => r.data.why === 'counter_request_self'));
    assert.ok(rows.some((r) => r.data.why === 'counter_request_other_centre'));
  });

  it('shows the citizen every sign-in and counter action on their identity', async () => {
    const b = new Browser(stack.issuer);
    const chooser = await b.open('/account');
    const page = await passwordLogin(b, chooser.text, citizen('sun-guilan').idNumber, 'Guilan2026home');
    assert.match(page.text, /我的记录/);
    assert.match(page.text, /窗口当面核验身份/);
    assert.match(page.text, /发放窗口码/);
    assert.match(page.text, /代为确认自助机登录/);
    assert.match(page.text, /黄浦区第一社区事务受理服务中心 · 3 号窗口 杨/);
    assert.match(page.text, /我有窗口码/, 'the sign-in by counter code');
  });

  it('shows a hall kiosk a large-type page with only the few methods that work there', async () => {
    const page = await new Browser(stack.issuer).open(authUrl(dept.clientId, dept.redirectUri, { display: 'touch' }).url);
    assert.match(page.text, /<body class="kiosk">/);
    assert.match(page.text, /method\/counter-code/);
    assert.match(page.text, /method\/id-card-password/);
    assert.doesNotMatch(page.text, /method\/certificate/);
    const normal = await new Browser(stack.issuer).open(authUrl(dept.clientId, dept.redirectUri).url);
    assert.match(normal.text, /<body>/);
  });

  it('lifts a sign-in lockout for a verified citizen', async () => {
    const who = citizen('sun-guilan');
    const b = new Browser(stack.issuer);
    const form = async () => {
      const chooser = await b.open(authUrl(dept.clientId, dept.redirectUri).url);
      return (await b.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!)).text;
    };
    let res = await b.submit(await form(), /method\/id-card-password/, { id_number: who.idNumber, password: 'Wrong2026pass' });
    for (let i = 0; i < 6 && res.status !== 429; i++) res = await b.submit(await form(), /method\/id-card-password/, { id_number: who.idNumber, password: 'Wrong2026pass' });
    assert.equal(res.status, 429, 'locked out');

    const { browser, page } = await staffConsole(stack, 'yang-lei');
    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('sun-guilan'));
    const lifted = await act(browser, visit, /\/counter\/lockout/, { reason: '本人忘记密码多次输错' });
    assert.equal(lifted.status, 200);
    const ok = await b.submit(await form(), /method\/id-card-password/, { id_number: who.idNumber, password: 'Guilan2026home' });
    assert.ok(ok.location?.startsWith(dept.redirectUri), `signed in again (${ok.status})`);
  });

  it('ends a console session after its idle time', async () => {
    const { browser } = await staffConsole(stack, 'yang-lei');
    const cookie = browser.agent.jar.getCookie('tongban_counter', { domain: '127.0.0.1', path: '/counter', secure: false, script: false });
    assert.ok(cookie?.value);
    await stack.ctx.store.del([`counter:session:${cookie.value}`]); // what 15 idle minutes do
    const res = await browser.agent.get('/counter').redirects(0);
    assert.equal(res.status, 303);
    assert.match(res.headers.location!, /^\/auth\?/);
  });

  it('stops a deactivated staff member at once', async () => {
    const { browser } = await staffConsole(stack, 'yang-lei');
    const id = await stack.ctx.identity.findPersonIdByIdNumber(citizen('yang-lei').idNumber);
    await stack.ctx.staff.setActive(id!, false);
    const res = await browser.agent.get('/counter');
    assert.equal(res.status, 403);
    assert.match(res.text, /counter_not_staff/);
    await stack.ctx.staff.setActive(id!, true);
  });
});
