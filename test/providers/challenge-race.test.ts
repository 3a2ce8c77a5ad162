/**
 * Every method's one-time challenge under a race: the last step of a sign-in (the right OTP,
 * a counter code, the eID or city-app poll, the certificate or face callback, an authority's
 * `state` coming back) sent 30 times at once by the same browser. Exactly one finishes the
 * login; the others get a clear answer, never a 5xx. On one instance, and on two sharing
 * PostgreSQL and Redis.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { clientsKnown, sharedBackends, startInstances } from '../support/instances.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import type { Page } from './contract/driver.ts';
import { bindPhone, latestCode } from './sms-otp/steps.ts';
import { issueCode } from './counter-code/driver.ts';
import { confirmInApp, pollPathOf, qrUrlOf } from './gov-eid/driver.ts';
import { appSession, callApi, pollLink, registerCityApp, tokenOn } from './app-scan/city-app.ts';
import { CITY_APP_CLIENT_ID } from '../../providers/app-scan/sandbox.ts';
import { simulatorReturn } from './certificate/helpers.ts';
import { capture, captureUrlOf, ensureEnrolled, submitConsent, submitDetails } from './face/steps.ts';
import { approveAtAlipay } from './alipay/authority.ts';
import { alipayUserId } from '../../providers/alipay/sandbox.ts';
import { scanWithWechat } from './wechat/authority.ts';
import { bindWechat } from './wechat/driver.ts';

const RACERS = 30;

interface Reply {
  status: number;
  location?: string;
  text: string;
}

function reply(res: { status: number; headers: Record<string, string>; text: string }): Reply {
  return { status: res.status, location: res.headers.location, text: res.text };
}

/** The same GET, `RACERS` times at once, with the browser's cookies. */
function raceGet(browser: Browser, url: string): Promise<Reply[]> {
  const rel = url.startsWith(browser.issuer) ? url.slice(browser.issuer.length) : url;
  return Promise.all(Array.from({ length: RACERS }, async () => reply(await browser.agent.get(rel).redirects(0))));
}

/** The same form submission (hidden fields, CSRF token included), `RACERS` times at once. */
function racePost(browser: Browser, page: Page, action: RegExp, fields: Record<string, string>): Promise<Reply[]> {
  const form = [...page.text.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => action.test(f[1]!));
  assert.ok(form, `no form matching ${action} on the page (status ${page.status})`);
  const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((m) => [m[1]!, m[2]!]));
  const target = form[1]!.replace(/&amp;/g, '&');
  const rel = target.startsWith(browser.issuer) ? target.slice(browser.issuer.length) : target;
  return Promise.all(
    Array.from({ length: RACERS }, async () => reply(await browser.agent.post(rel).type('form').send({ ...hidden, ...fields }).redirects(0))),
  );
}

/** The code a failure page names, for the assertion messages. */
const codeOn = (r: Reply) => r.text.match(/class="code">([^<]*)</)?.[1] ?? r.text.slice(0, 200);

/**
 * Exactly one reply finished the interaction (the provider resumes at /auth/<uid>); no reply is
 * a server error. A poll that asks a slow authority may be told the method is unavailable (503
 * method_unavailable, as the method contract promises), which is an answer, not a fault.
 */
function exactlyOne(replies: Reply[], won: (r: Reply) => boolean = finished): void {
  const statuses = replies.map((r) => r.status).join(',');
  assert.equal(replies.filter(won).length, 1, `exactly one of ${replies.length} wins (statuses ${statuses})`);
  const faults = replies.filter((r) => r.status >= 500 && !(r.status === 503 && /method_unavailable/.test(r.text)));
  assert.deepEqual(faults.map(codeOn), [], `no server error (statuses ${statuses})`);
}

const finished = (r: Reply) => r.status === 303 && /\/auth\//.test(r.location ?? '');

/**
 * An authority's callback: our own `state` stops every copy but one before the authority is
 * asked (the authority refusing a used code would hide a failure of ours): each loser finds the
 * challenge taken (or, once the chooser started a new one, a state that is not its own).
 */
function exactlyOneCallback(replies: Reply[]): void {
  exactlyOne(replies);
  const codes = replies.filter((r) => !finished(r)).map(codeOn);
  assert.deepEqual(codes.filter((c) => !/challenge_expired|state_mismatch/.test(c)), [], 'no copy reached the authority');
}

function raceSuite(name: string, setup: () => Promise<{ stack: Stack; all: Stack[]; close(): Promise<void> }>, opts: { skip?: string | false } = {}) {
  describe(name, { skip: opts.skip }, () => {
    let stack: Stack;
    let close: () => Promise<void>;
    let rp: TestClient;

    before(async () => {
      let all: Stack[];
      ({ stack, all, close } = await setup());
      rp = await addClient(stack, 'race-rp', { tongban_first_party: true });
      await registerCityApp(stack);
      await clientsKnown(all, [rp.clientId, CITY_APP_CLIENT_ID]);
    });
    after(async () => {
      await rp?.rp.close();
      await close?.();
    });

    /** A fresh browser at `method`'s first page. */
    async function open(method: string): Promise<{ browser: Browser; first: Page }> {
      const browser = new Browser(stack.issuer);
      const chooser = await browser.open(authUrl(rp.clientId, rp.redirectUri).url);
      const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${method})"`));
      assert.ok(link, `the chooser offers ${method}`);
      return { browser, first: await browser.open(link[1]!) };
    }

    it('accepts the right SMS code once, however many submit it at once', async () => {
      const who = citizen('ouyang-xue');
      await bindPhone(stack, 'ouyang-xue');
      const { browser, first } = await open('sms-otp');
      const sent = await browser.submit(first.text, /method\/sms-otp/, { phone: who.phone! });
      assert.equal(sent.status, 200, sent.text.slice(0, 300));
      exactlyOne(await racePost(browser, sent, /method\/sms-otp/, { code: await latestCode(stack, who.phone!) }));
    });

    it('lets one QR poll finish a gov-eid sign-in the platform confirmed', async () => {
      const { browser, first } = await open('gov-eid');
      const confirmed = await confirmInApp(qrUrlOf(first), 'ma-jun');
      assert.ok(confirmed.status < 400, `the app confirmed (${confirmed.status})`);
      exactlyOne(await raceGet(browser, pollPathOf(first)));
    });

    it('lets one poll finish an app-scan sign-in the city app approved', async () => {
      await enrolCitizen(stack, 'wang-fang', 'CityApp2026race');
      const { browser, first } = await open('app-scan');
      const accessToken = await appSession(stack, citizen('wang-fang'), 'CityApp2026race');
      const approved = await callApi(stack, 'approve', accessToken, { token: tokenOn(first.text) });
      assert.equal(approved.status, 200, approved.text);
      exactlyOne(await raceGet(browser, pollLink(first.text)));
    });

    it('takes one of many simultaneous city-app answers, while the page polls, and signs in once', async () => {
      await enrolCitizen(stack, 'li-na', 'CityApp2026twice');
      const { browser, first } = await open('app-scan');
      const accessToken = await appSession(stack, citizen('li-na'), 'CityApp2026twice');
      const token = tokenOn(first.text);
      const poll = pollLink(first.text);
      const [answers, polls] = await Promise.all([
        Promise.all(Array.from({ length: RACERS }, () => callApi(stack, 'approve', accessToken, { token }))),
        raceGet(browser, poll),
      ]);
      assert.equal(answers.filter((a) => a.status === 200).length, 1, `one answer is taken (${answers.map((a) => a.status).join(',')})`);
      for (const a of answers.filter((a) => a.status !== 200)) assert.equal(a.body.error, 'app_scan_expired');
      // an answer never makes a poll give the QR up: the page that polls next signs in
      const after = polls.some(finished) ? [] : [reply(await browser.agent.get(poll).redirects(0))];
      exactlyOne([...polls, ...after]);
    });

    it('accepts a certificate signature over our nonce once', async () => {
      const { browser, first } = await open('certificate');
      exactlyOne(await raceGet(browser, await simulatorReturn(first, 'liu-yang:valid')));
    });

    it('accepts a face liveness session once', async () => {
      await ensureEnrolled(stack, 'xu-li');
      const { browser, first } = await open('face');
      const consent = await submitDetails(browser, first, citizen('xu-li'));
      const url = captureUrlOf(await submitConsent(browser, consent));
      assert.ok(url, 'the consent leads to the capture page');
      exactlyOne(await raceGet(browser, await capture(url, 'match')));
    });

    it('accepts the Alipay callback (its state and auth code) once', async () => {
      const { browser, first } = await open('alipay');
      assert.ok(first.location, 'alipay sends the browser to its authorize page');
      exactlyOneCallback(await raceGet(browser, await approveAtAlipay(first.location, alipayUserId('chen-jing'))));
    });

    it('accepts the WeChat callback (its state and code) once', async () => {
      await bindWechat(stack, 'sun-guilan');
      const { browser, first } = await open('wechat');
      assert.ok(first.location, 'wechat sends the browser to its QR-connect page');
      exactlyOneCallback(await raceGet(browser, await scanWithWechat(first.location, 'sun-guilan')));
    });

    it('redeems a counter code once, and finishes its sign-in once', async () => {
      const who = citizen('zhao-min');
      if (!(await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber))) {
        await stack.ctx.identity.enrol(who.idNumber, { name: who.name, proofing: 'in_person', credentials: [] });
      }
      const { browser, first } = await open('counter-code');
      const code = await issueCode(stack, 'zhao-min');
      const entered = await racePost(browser, first, /method\/counter-code/, { code });
      exactlyOne(entered, (r) => r.status === 200 && /name="password"/.test(r.text));
      const passwordStep = entered.find((r) => /name="password"/.test(r.text))!;
      exactlyOne(await racePost(browser, { status: 200, text: passwordStep.text, path: '' }, /method\/counter-code/, { password: '' }));
    });
  });
}

raceSuite('one-time challenges on one instance', async () => {
  const stack = await startStack();
  return { stack, all: [stack], close: () => stack.close() };
});

raceSuite(
  'one-time challenges across two instances sharing PostgreSQL and Redis',
  async () => {
    const multi = await startInstances(2);
    return { stack: multi.stacks[0]!, all: multi.stacks, close: () => multi.close() };
  },
  { skip: sharedBackends },
);
