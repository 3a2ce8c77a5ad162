/**
 * Signing in to /admin and staying in: level 3 through our own provider, refusal below it and
 * for non-admins, the idle timeout, the admin record read on every request, sign-out, CSRF on
 * console changes, and the home page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { adminConsole, createAdmin } from '../support/admin.ts';
import { signWithSimulator } from '../providers/certificate/helpers.ts';
import { socialSecurityCardOf } from '../../providers/social-security-card/sandbox.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { ADMIN_AREAS } from '../../src/admin/areas.ts';
import { t } from '../../src/i18n/ui.ts';

const IDLE_SECONDS = 600;

describe('admin sign-in and sessions', () => {
  let stack: Stack;
  let dept: TestClient;
  // the service's clock runs ahead of the real one by this much (the idle timeout without waiting)
  let ahead = 0;

  before(async () => {
    stack = await startStack({ clock: () => Date.now() + ahead });
    dept = await addClient(stack, 'hr-bureau', { tongban_first_party: true });
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  const auditRows = async (type: string, subjectIndex: string) =>
    (await stack.ctx.db.query<{ data: Record<string, unknown> }>('SELECT data FROM audit_log WHERE type = $1 AND subject_index = $2', [type, subjectIndex])).rows.length +
    (await stack.ctx.db.query('SELECT 1 FROM audit_outbox WHERE type = $1 AND subject_index = $2', [type, subjectIndex])).rowCount;

  it('signs an admin in at level 3: home page with who, roles and the areas the roles reach; /me; audited', async () => {
    const admin = await createAdmin(stack, 'zhang-wei', ['policy_admin', 'auditor']);
    const c = await adminConsole(stack, 'zhang-wei');
    assert.match(c.home.text, /<h1>安全管理控制台<\/h1>/);
    assert.ok(c.home.text.includes(admin.name), 'the home page names the admin');
    assert.ok(!c.home.text.includes(admin.idNumber), 'never the ID number');
    assert.ok(c.home.text.includes('策略管理员') && c.home.text.includes('审计员'), 'both roles shown');
    for (const area of ADMIN_AREAS) {
      if (!area.nav) continue;
      const reaches = area.nav.roles.some((r) => r === 'policy_admin' || r === 'auditor');
      assert.equal(c.home.text.includes(`href="${area.nav.path}"`), reaches, `nav link to ${area.nav.path} ${reaches ? 'shown' : 'hidden'}`);
    }
    const me = await c.api.get('/admin/api/me');
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.body.roles, ['policy_admin', 'auditor']);
    assert.equal(me.body.via, 'console');
    assert.equal(me.body.actor_id, admin.actorId);
    assert.equal(me.body.csrf_token, c.csrf);
    assert.equal(me.headers['cache-control'], 'no-store');
    const index = stack.ctx.cipher.blindIndex('id_number', admin.idNumber);
    assert.equal(await auditRows('admin.signed_in', index), 1);

    const en = await c.open('/admin?lang=en');
    assert.match(en.text, /<h1>Security admin console<\/h1>/);
    assert.match(en.text, /Policy admin/);
  });

  it('sets the session cookie Strict on /admin and the sign-in state Lax (it must survive the return from the signer)', async () => {
    const browser = new Browser(stack.issuer);
    const start = await browser.agent.get('/admin').redirects(0);
    assert.equal(start.status, 303);
    assert.match(start.headers.location!, /^\/auth\?.*client_id=tongban-admin.*acr_values=urn%3Atongban%3Aloa%3A3/);
    const state = [start.headers['set-cookie']].flat().find((s) => s?.startsWith('tongban_admin_state='));
    assert.match(state ?? '', /Path=\/admin;.*HttpOnly; SameSite=Lax/);

    await createAdmin(stack, 'li-na', ['helpdesk']);
    const chooser = await browser.open(start.headers.location!);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/)![1]!;
    const page = await browser.open(link);
    // follow the simulator by hand to see our callback's own answer
    const { simulatorReturn } = await import('../providers/certificate/helpers.ts');
    let next = (await simulatorReturn(page, 'li-na:valid')).replace(stack.issuer, '');
    let res = await browser.agent.get(next).redirects(0);
    while (res.status === 302 || res.status === 303) {
      next = res.headers.location!.replace(stack.issuer, '');
      res = await browser.agent.get(next).redirects(0);
    }
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(next, /^\/admin\/callback\?/);
    const session = [res.headers['set-cookie']].flat().find((s) => s?.startsWith('tongban_admin='));
    assert.match(session ?? '', /Path=\/admin;.*HttpOnly; SameSite=Strict/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('refuses an admin whose sign-in is below level 3 with a clear page, and asks for level 3 when signing in', async () => {
    await createAdmin(stack, 'chen-jing', ['helpdesk']);
    const card = socialSecurityCardOf('chen-jing');
    const browser = new Browser(stack.issuer);
    // a level-2 single sign-on session, made at a department
    const req = authUrl(dept.clientId, dept.redirectUri);
    const chooser = await browser.open(req.url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/social-security-card)"/);
    assert.ok(link, 'the department offers the social-security card');
    const done = await browser.submit((await browser.open(link[1]!)).text, /method\/social-security-card/, { card_no: card.cardNo, pin: card.pin });
    assert.match(done.location ?? '', /code=/, 'signed in at the department');

    // the console's sign-in asks the provider for level 3: a level-2 session is asked for more, not let through
    const start = await browser.agent.get('/admin').redirects(0);
    const stepUp = await browser.open(start.headers.location!);
    assert.equal(stepUp.status, 200);
    assert.match(stepUp.text, /method\/certificate/, 'a level-3 method is offered');
    assert.doesNotMatch(stepUp.text, /method\/social-security-card"/, 'not the level-2 card');

    // and should the callback be reached with the level-2 session, it refuses with a page saying why
    const again = await browser.agent.get('/admin').redirects(0);
    const state = new URL(again.headers.location!, stack.issuer).searchParams.get('state')!;
    const refused = await browser.agent.get(`/admin/callback?state=${state}`).redirects(0);
    assert.equal(refused.status, 403);
    assert.ok(refused.text.includes(t('zh-CN', 'admin_level_required')), refused.text.slice(0, 500));
    assert.match(refused.text, /href="\/admin\/login"/, 'with a way to sign in again');
    assert.equal([refused.headers['set-cookie']].flat().some((s) => s?.startsWith('tongban_admin=')), false, 'no console session');
    assert.equal((await browser.agent.get('/admin/api/me').set('Accept', 'application/json')).status, 401);
  });

  it('refuses a person who is not an admin after a level-3 sign-in, and a wrong state', async () => {
    const browser = new Browser(stack.issuer);
    const chooser = await browser.open('/admin');
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/)![1]!;
    const refused = await signWithSimulator(browser, await browser.open(link), 'wang-fang:valid');
    assert.equal(refused.status, 403);
    assert.ok(refused.text.includes(t('zh-CN', 'admin_not_admin')));
    assert.equal((await browser.agent.get('/admin/api/me')).status, 401);

    const forged = await browser.agent.get('/admin/callback?state=not-the-one').redirects(0);
    assert.equal(forged.status, 400);
  });

  it('ends a session idle for longer than the idle time, and keeps one in use', async () => {
    await createAdmin(stack, 'liu-yang', ['auditor']);
    const c = await adminConsole(stack, 'liu-yang');
    try {
      ahead += (IDLE_SECONDS - 30) * 1000;
      assert.equal((await c.api.get('/admin/api/me')).status, 200, 'in use within the idle time');
      ahead += (IDLE_SECONDS - 30) * 1000;
      assert.equal((await c.api.get('/admin/api/me')).status, 200, 'each request restarts the idle clock');
      ahead += (IDLE_SECONDS + 1) * 1000;
      const ended = await c.api.get('/admin/api/me');
      assert.equal(ended.status, 401);
      assert.equal(ended.body.error, 'admin_session_expired');
      const page = await c.browser.agent.get('/admin').redirects(0);
      assert.equal(page.status, 303, 'a page starts the sign-in again');
      assert.match(page.headers.location!, /^\/auth\?/);
    } finally {
      ahead = 0;
    }
  });

  it('reads the admin record on every request: a role change shows at once, deactivation and removing every role stop the session', async () => {
    const admin = await createAdmin(stack, 'zhao-min', ['helpdesk']);
    const c = await adminConsole(stack, 'zhao-min');
    await createAdmin(stack, 'zhao-min', ['helpdesk', 'key_admin']);
    assert.deepEqual((await c.api.get('/admin/api/me')).body.roles, ['helpdesk', 'key_admin']);

    await createAdmin(stack, 'zhao-min', ['helpdesk'], { active: false });
    const stopped = await c.api.get('/admin/api/me');
    assert.equal(stopped.status, 401);
    const page = await c.browser.agent.get('/admin').redirects(0);
    assert.equal(page.status, 303, 'the console starts a sign-in');
    // the session is gone for good: reactivating does not bring it back
    await createAdmin(stack, 'zhao-min', ['helpdesk']);
    assert.equal((await c.api.get('/admin/api/me')).status, 401);

    const d = await adminConsole(stack, 'zhao-min');
    assert.equal((await d.api.get('/admin/api/me')).status, 200);
    await createAdmin(stack, 'zhao-min', []);
    assert.equal((await d.api.get('/admin/api/me')).status, 401, 'no role left: no console');
    assert.equal(admin.personId, (await stack.ctx.identity.findPersonIdByIdNumber(citizen('zhao-min').idNumber)));
  });

  it('needs the CSRF token for every console change, and signs out with it', async () => {
    const admin = await createAdmin(stack, 'wu-haoran', ['auditor']);
    const c = await adminConsole(stack, 'wu-haoran');
    const agent = c.browser.agent;
    const none = await agent.post('/admin/api/nothing-here').set('Accept', 'application/json').send({});
    assert.equal(none.status, 403);
    assert.equal(none.body.error, 'csrf_invalid');
    const wrong = await agent.post('/admin/api/nothing-here').set('X-CSRF-Token', c.csrf.slice(0, -2) + 'xx').send({});
    assert.equal(wrong.status, 403);
    const right = await c.api.post('/admin/api/nothing-here').send({});
    assert.equal(right.status, 404, 'past the CSRF check');
    assert.equal(right.body.error, 'admin_not_found');

    const formWithout = await agent.post('/admin/logout').type('form').send({}).redirects(0);
    assert.equal(formWithout.status, 403);
    assert.equal((await c.api.get('/admin/api/me')).status, 200, 'still signed in');
    // another admin's token is not this session's
    await createAdmin(stack, 'xu-li', ['auditor']);
    const other = await adminConsole(stack, 'xu-li');
    assert.equal((await agent.post('/admin/logout').type('form').send({ _csrf: other.csrf }).redirects(0)).status, 403);

    const out = await c.form('/admin/logout', {});
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/session/end');
    assert.equal((await c.api.get('/admin/api/me')).status, 401, 'signed out');
    assert.equal((await other.api.get('/admin/api/me')).status, 200, 'the other admin stays in');
    assert.equal(await auditRows('admin.signed_out', stack.ctx.cipher.blindIndex('id_number', admin.idNumber)), 1);
  });

  it('answers the API in JSON only: forms refused, unknown paths 404, never a page', async () => {
    const form = await new Browser(stack.issuer).agent.post('/admin/api/me').type('form').send({ a: 'b' });
    assert.equal(form.status, 415);
    assert.equal(form.body.error, 'unsupported_content_type');
    const anon = await new Browser(stack.issuer).agent.get('/admin/api/anything');
    assert.equal(anon.status, 401);
    assert.match(anon.headers['content-type']!, /json/);
    const pagesJson = await new Browser(stack.issuer).agent.post('/admin/logout').set('Content-Type', 'application/json').send('{}');
    assert.equal(pagesJson.status, 415, 'the pages take forms only');
  });
});
