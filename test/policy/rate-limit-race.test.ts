/**
 * Limits are atomic: with a limit of k, at most k secrets are tested however requests are
 * timed. Each case fires 40 wrong answers at once, then the right answer as soon as the first
 * refusal shows the limit is full (while the burst is still in flight), on one instance and
 * on two instances sharing PostgreSQL and Redis behind a round-robin proxy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { sharedBackends, startInstances, type Instances } from '../support/instances.ts';
import { addClient, addKiosk, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { DEFAULT_SCOPES, type RateScope } from '../../src/policy/rate-limit.ts';
import { oneTimeCodes } from '../../src/interaction/method-context.ts';
import { socialSecurityCardOf } from '../../providers/social-security-card/sandbox.ts';
import { bindPhone, latestCode, openMethod, outbox, wrongCode } from '../providers/sms-otp/steps.ts';
import { requestLog } from '../providers/social-security-card/flow.ts';
import { act, seedCentres, staffConsole, verifyFields } from '../counter/support.ts';

const BURST = 40;
const PAIR_K = DEFAULT_SCOPES.pair!.threshold;
const CODE_K = 6;
const SMS_K = DEFAULT_SCOPES['daily-number']!.threshold;
const SMS_BURST = 20;
const KIOSK_K = DEFAULT_SCOPES.id!.threshold;
const SCOPES: Record<string, RateScope> = {
  // every case comes from 127.0.0.1: the address limit is raised so each case meets its own limit
  ip: { threshold: 10_000, windowSeconds: 900, baseSeconds: 60, maxSeconds: 900 },
  global: { threshold: CODE_K, windowSeconds: 600, baseSeconds: 60, maxSeconds: 600 },
};

// a busy test machine must not turn the card authority's answers into timeouts (given back, untested)
const SLOW_MACHINE = { AUTHORITY_TIMEOUT_MS: '10000' };

type Res = { status: number; text: string; location?: string };

/** `n` wrong answers at once; the right one goes out when the first refusal comes back. */
async function burst(n: number, wrong: () => Promise<Res>, right: () => Promise<Res>, refused = (r: Res) => r.status === 429) {
  let full!: () => void;
  const limitFull = new Promise<void>((r) => (full = r));
  const wrongs = Promise.all(
    Array.from({ length: n }, () =>
      wrong().then((r) => {
        if (refused(r)) full();
        return r;
      }),
    ),
  );
  await Promise.race([limitFull, wrongs]);
  const [rightRes, all] = await Promise.all([right(), wrongs]);
  return { wrong: all, right: rightRes };
}

function raceCases(label: string, target: () => Stack, client: () => TestClient) {
  describe(label, () => {
    it(`tests at most ${PAIR_K} of ${BURST} simultaneous passwords for one ID number, and the right one after them does not sign in`, async () => {
      const stack = target();
      const who = await enrolCitizen(stack, 'zhao-min', 'Right2026pass');
      const browser = new Browser(stack.issuer);
      const chooser = await browser.open(authUrl(client().clientId, client().redirectUri).url);
      const page = (await browser.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!)).text;
      const submit = (password: string) => browser.submit(page, /method\/id-card-password/, { id_number: who.idNumber, password });
      const r = await burst(BURST, () => submit('Wrong2026pass'), () => submit('Right2026pass'));
      const tested = r.wrong.filter((x) => x.status === 401 && /login_failed/.test(x.text)).length;
      assert.ok(tested >= 1 && tested <= PAIR_K, `${tested} passwords were tested`);
      assert.equal(r.wrong.filter((x) => x.status === 429).length, BURST - tested, 'every other one refused untested');
      assert.equal(r.right.status, 429, `the right password was refused (${r.right.status})`);
      assert.ok(!r.right.location?.startsWith(client().redirectUri));
    });

    it(`compares at most ${PAIR_K} of ${BURST} simultaneous text codes, and the right code after them does not sign in`, async () => {
      const stack = target();
      await bindPhone(stack, 'chen-jing');
      const phone = citizen('chen-jing').phone!;
      const browser = new Browser(stack.issuer);
      const form = await openMethod(browser, authUrl(client().clientId, client().redirectUri).url, 'sms-otp');
      const codePage = await browser.submit(form.text, /method\/sms-otp/, { phone });
      assert.equal(codePage.status, 200, codePage.text.slice(0, 300));
      const code = await latestCode(stack, phone);
      const submit = (c: string) => browser.submit(codePage.text, /method\/sms-otp/, { code: c });
      const r = await burst(BURST, () => submit(wrongCode(code)), () => submit(code), (x) => x.status !== 401);
      const compared = r.wrong.filter((x) => x.status === 401 && /otp_invalid/.test(x.text)).length;
      assert.ok(compared >= 1 && compared <= PAIR_K, `${compared} codes were compared`);
      assert.ok(!r.right.location?.startsWith(client().redirectUri), `the right code did not sign in (${r.right.status})`);
      assert.ok([429, 400].includes(r.right.status), `refused: ${r.right.status}`);
    });

    it(`texts a number at most ${SMS_K} codes of ${SMS_BURST} simultaneous requests from strangers`, async () => {
      const stack = target();
      await bindPhone(stack, 'liu-yang');
      const phone = citizen('liu-yang').phone!;
      const before = (await outbox(stack, phone)).length;
      // each request from its own interaction, as a script opening many sign-in pages would
      const forms = await Promise.all(
        Array.from({ length: SMS_BURST }, async () => {
          const browser = new Browser(stack.issuer);
          return { browser, form: await openMethod(browser, authUrl(client().clientId, client().redirectUri).url, 'sms-otp') };
        }),
      );
      const answers = await Promise.all(forms.map(({ browser, form }) => browser.submit(form.text, /method\/sms-otp/, { phone })));
      const sent = (await outbox(stack, phone)).length - before;
      assert.equal(sent, SMS_K, `${sent} texts were sent`);
      assert.equal(answers.filter((x) => x.status === 200).length, SMS_K);
      assert.ok(answers.filter((x) => x.status !== 200).every((x) => x.status === 429 && /sms_otp_daily_limit/.test(x.text)));
    });

    it(`asks the authority about at most ${PAIR_K} of ${BURST} simultaneous card PINs, and the right PIN after them does not sign in`, async () => {
      const stack = target();
      const card = socialSecurityCardOf('wang-fang');
      const wrongPin = card.pin === '000000' ? '999999' : '000000';
      const calls = async () => (await requestLog(stack, 'social-security')).filter((x) => x.path === '/api/v2/card/verify').length;
      const before = await calls();
      const browser = new Browser(stack.issuer);
      const form = await openMethod(browser, authUrl(client().clientId, client().redirectUri).url, 'social-security-card');
      const submit = (pin: string) => browser.submit(form.text, /method\/social-security-card/, { card_no: card.cardNo, pin });
      const r = await burst(BURST, () => submit(wrongPin), () => submit(card.pin));
      const asked = (await calls()) - before;
      assert.ok(asked >= 1 && asked <= PAIR_K, `${asked} PINs reached the authority`);
      assert.equal(r.wrong.filter((x) => x.status === 401).length, asked);
      assert.ok(!r.right.location?.startsWith(client().redirectUri), `the right PIN did not sign in (${r.right.status})`);
    });

    it(`looks up at most ${CODE_K} of ${BURST} simultaneous counter codes, and a real code after them is refused and stays usable`, async () => {
      const stack = target();
      const { browser: staff, page } = await staffConsole(stack, 'yang-lei');
      const visit = await act(staff, page, /\/counter\/verify/, verifyFields('sun-guilan'));
      const slip = await act(staff, visit, /\/counter\/code/, { reason: '无手机，需登录社保' });
      const code = slip.text.match(/id="counter-code">([A-Z0-9 ]+)</)![1]!.replace(' ', '');
      const kiosk = new Browser(stack.issuer);
      const form = await openMethod(kiosk, authUrl(client().clientId, client().redirectUri).url, 'counter-code');
      const submit = (c: string) => kiosk.submit(form.text, /method\/counter-code/, { code: c });
      const r = await burst(BURST, () => submit('ABCDEFGH'), () => submit(code));
      const looked = r.wrong.filter((x) => x.status === 401 && /counter_code_invalid/.test(x.text)).length;
      assert.ok(looked >= 1 && looked <= CODE_K, `${looked} codes were looked up`);
      assert.equal(r.right.status, 429);
      // refused before the look-up, so the citizen's code was not spent
      assert.ok(await stack.ctx.store.get(`m:counter-code:code:${codeDigest(stack, code)}`), 'the code is still there');
    });

    it(`checks at most ${KIOSK_K} of ${BURST} simultaneous kiosk user codes, and the real one after them is refused`, async () => {
      const stack = target();
      const dev = await request(stack.issuer).post('/device/auth').type('form').send({ client_id: 'race-kiosk', scope: 'openid' });
      assert.equal(dev.status, 200, dev.text);
      const { device_code, user_code } = dev.body as { device_code: string; user_code: string };
      const { browser: staff, page } = await staffConsole(stack, 'huang-qiang');
      const visit = await act(staff, page, /\/counter\/verify/, verifyFields('xu-li'));
      const submit = (c: string) => act(staff, visit, /\/counter\/kiosk/, { user_code: c, reason: '自助机办理' });
      const r = await burst(BURST, () => submit('BCDF-GHJK'), () => submit(user_code));
      const checked = r.wrong.filter((x) => x.status === 400 && /counter_user_code_invalid/.test(x.text)).length;
      assert.ok(checked >= 1 && checked <= KIOSK_K, `${checked} user codes were checked`);
      assert.equal(r.right.status, 429);
      const token = await request(stack.issuer)
        .post('/token')
        .type('form')
        .send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code, client_id: 'race-kiosk' });
      assert.equal(token.body.error, 'authorization_pending', 'the kiosk was not signed in');
    });
  });
}

const codeDigest = (stack: Stack, code: string) => oneTimeCodes(stack.ctx.keys.indexKey).digest(code);

async function prepare(stack: Stack): Promise<TestClient> {
  await seedCentres(stack);
  await addKiosk(stack, 'race-kiosk', { name: 'Race kiosk', scope: 'openid profile' });
  return addClient(stack, 'race-dept', { tongban_first_party: true });
}

describe('atomic limits on one instance', () => {
  let stack: Stack;
  let client: TestClient;
  before(async () => {
    stack = await startStack({ rateScopes: SCOPES, env: SLOW_MACHINE });
    client = await prepare(stack);
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });
  raceCases('one instance', () => stack, () => client);
});

describe('atomic limits on two instances sharing PostgreSQL and Redis', { skip: sharedBackends }, () => {
  let instances: Instances;
  let client: TestClient;
  before(async () => {
    instances = await startInstances(2, { rateScopes: SCOPES, env: SLOW_MACHINE });
    client = await prepare(instances.stacks[0]!);
  });
  after(async () => {
    await client?.rp.close();
    await instances?.close();
  });
  raceCases('two instances', () => instances.stacks[0]!, () => client);
});
