/**
 * Family proxy set up at a counter, end to end through real HTTP: staff with the citizen's visit
 * open name the helper by ID number, the departments, scopes and last day; refused beyond a
 * year, for an unknown or the same person, without a department, and without a visit; on both
 * people's record with the staff member and the centre; the helper accepts online and can then
 * sign in on the citizen's behalf (the ID token's act names the helper).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { claimsOf } from '../support/logout-receiver.ts';
import { redeemCode } from '../oidc/tokens.ts';
import { act, seedCentres, staffConsole, verifyFields } from './support.ts';
import { citizen, type Citizen } from '../../src/sandbox/citizens.ts';

const password = 'Counter2026proxy';
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

describe('family proxy set up at a counter', { timeout: 300_000 }, () => {
  let stack: Stack;
  let dept: TestClient;
  let zhou: Citizen;
  let wu: Citizen;

  before(async () => {
    // password sign-ins reach level 2 here, as accepting a proxy asks
    stack = await startStack({ methodSettings: { 'id-card-password': { enabled: true, level: 2 } } });
    await seedCentres(stack);
    dept = await addClient(stack, 'dept-civil', { client_name: '民政局', tongban_first_party: true });
    zhou = await enrolCitizen(stack, 'zhou-xiuying', password);
    wu = await enrolCitizen(stack, 'wu-haoran', password);
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  const fields = (extra: Record<string, string> = {}) => ({
    helper_id_number: wu.idNumber,
    [`client:${dept.clientId}`]: 'yes',
    'scope:profile': 'yes',
    until: inDays(30),
    reason: '本人行动不便，委托亲属代办',
    ...extra,
  });

  it('is registered by staff for the citizen of the visit, refused where it must be, on both records', async () => {
    const { browser, page } = await staffConsole(stack, 'yang-lei');
    assert.doesNotMatch(page.text, /action="\/counter\/proxy"/, 'no form without a visit');
    const noVisit = await browser.agent.post('/counter/proxy').type('form').send({ csrf: page.text.match(/name="csrf" value="([^"]+)"/)![1]!, ...fields() });
    assert.equal(noVisit.status, 409, noVisit.text.slice(0, 300));

    const visit = await act(browser, page, /\/counter\/verify/, verifyFields('zhou-xiuying'));
    assert.equal(visit.status, 200, visit.text.slice(0, 400));
    assert.match(visit.text, /action="\/counter\/proxy"/);
    assert.match(visit.text, /民政局/);

    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ until: inDays(400) }, 400, /proxy_until_invalid/],
      [{ helper_id_number: citizen('ma-jun').idNumber }, 404, /proxy_helper_unknown/],
      [{ helper_id_number: zhou.idNumber }, 400, /proxy_helper_self/],
      [{ [`client:${dept.clientId}`]: 'no' }, 400, /invalid_input/],
      [{ 'client:no-such-dept': 'yes' }, 400, /invalid_input/],
      [{ reason: '' }, 400, /field_required|reason/],
    ];
    for (const [extra, status, code] of cases) {
      const refused = await act(browser, visit, /\/counter\/proxy/, fields(extra));
      assert.equal(refused.status, status, `${JSON.stringify(extra)}: ${refused.text.match(/class="code">[^<]*/)?.[0]}`);
      assert.match(refused.text, code);
    }
    const none = await stack.ctx.db.query('SELECT 1 FROM proxy_mandates');
    assert.equal(none.rows.length, 0, 'nothing written by a refused form');

    const done = await act(browser, visit, /\/counter\/proxy/, fields());
    assert.equal(done.status, 200, done.text.slice(0, 400));
    assert.match(done.text, /已登记/);
    const m = await stack.ctx.db.query<{ created_via: string; accepted_at: Date | null; scopes: string[]; client_ids: string[] }>('SELECT created_via, accepted_at, scopes, client_ids FROM proxy_mandates');
    assert.equal(m.rows.length, 1);
    assert.equal(m.rows[0]!.created_via, 'counter');
    assert.equal(m.rows[0]!.accepted_at, null, 'the helper has still to accept');
    assert.deepEqual(m.rows[0]!.client_ids, [dept.clientId]);
    assert.deepEqual(m.rows[0]!.scopes, ['profile']);

    const staffId = (await stack.ctx.identity.findPersonIdByIdNumber(citizen('yang-lei').idNumber))!;
    const rows = await stack.ctx.db.query<{ role: string; staff: string; centre: string; via: string; data: string }>(
      "SELECT data->>'role' AS role, data->>'staffId' AS staff, data->>'centreId' AS centre, data->>'via' AS via, data::text AS data FROM audit_log WHERE type = 'proxy.requested' ORDER BY seq",
    );
    assert.deepEqual(rows.rows.map((r) => `${r.role}/${r.via}/${r.centre}`), ['citizen/counter/huangpu-1', 'helper/counter/huangpu-1']);
    for (const r of rows.rows) {
      assert.equal(r.staff, staffId);
      assert.ok(!r.data.includes(wu.idNumber) && !r.data.includes(zhou.idNumber), 'no ID number in the audit trail');
    }
  });

  it('is accepted by the helper online, then lets the helper sign in on the citizen’s behalf; both see it', async () => {
    const helper = new Browser(stack.issuer);
    let mine = await helper.open('/account/proxy');
    if (/method\/id-card-password/.test(mine.text)) await passwordLogin(helper, mine.text, wu.idNumber, password);
    mine = await helper.open('/account/proxy');
    assert.match(mine.text, /周秀英/);
    const accepted = await helper.submit(mine.text, /\/account\/proxy\/accept/, {});
    assert.equal(accepted.status, 200, accepted.text.slice(0, 400));
    assert.match(accepted.text, /已接受代办/);

    const b = new Browser(stack.issuer);
    const req = authUrl(dept.clientId, dept.redirectUri);
    const choice = await passwordLogin(b, (await b.open(req.url)).text, wu.idNumber, password);
    assert.match(choice.text, /代 周秀英 登录/);
    const mandateId = (await stack.ctx.db.query<{ id: string }>('SELECT id FROM proxy_mandates')).rows[0]!.id;
    const back = await b.submit(choice.text, /on-behalf/, { as: mandateId });
    const tokens = await redeemCode(stack.issuer, dept, { code: codeFrom(back.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(claimsOf(tokens.body.id_token as string).act, 'the ID token names the helper');

    // both people's activity: the request made at the counter, its acceptance, the sign-in
    const helperActivity = await helper.open('/account');
    assert.match(helperActivity.text, /有人请您代办/);
    assert.match(helperActivity.text, /您接受了代办请求/);
    const own = new Browser(stack.issuer);
    const page = await own.open('/account');
    const citizenActivity = /method\/id-card-password/.test(page.text) ? await passwordLogin(own, page.text, zhou.idNumber, password) : page;
    assert.match(citizenActivity.text, /您请亲友代办/);
    assert.match(citizenActivity.text, /您的代办人代您登录/);
  });
});
