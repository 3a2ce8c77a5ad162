/**
 * A policy saved on one instance is in force on another within 2 s, without a restart: a method
 * disabled on A is no longer offered by B's chooser, and enabled again with 8-digit codes B
 * texts 8 digits; a method's level raised on A is the acr of B's ID tokens, with the ID-token
 * lifetime A set; A's password rules and rate limits are B's; a change nobody announced (the
 * message lost) still arrives through each instance's check of the newest version. The same on one embedded
 * process (its own store's pub/sub), and on two instances sharing PostgreSQL and Redis.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { clientsKnown, sharedBackends, startInstances } from '../support/instances.ts';
import { enrolCitizen } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { bindPhone, openMethod, outbox } from '../providers/sms-otp/steps.ts';
import { authUrl } from '../support/browser.ts';
import { browserAt, chooserOffers, passwordIdToken, registerDept, savePolicy, within, type Dept } from './live-policy-steps.ts';

const PASSWORD = 'Policy2026live';
const LIMIT_MS = 2000;

interface Setup {
  issuer: string;
  a: Stack;
  b: Stack;
  /** where requests for instance B go */
  bUrl: string;
  close(): Promise<void>;
}

function propagationSuite(name: string, start: () => Promise<Setup>, opts: { skip?: string | false } = {}) {
  describe(name, opts, () => {
    let s: Setup;
    let dept: Dept;
    let idNumber: string;

    before(async () => {
      s = await start();
      dept = await registerDept(s.a, 'policy-dept');
      if (s.a !== s.b) await clientsKnown([s.a, s.b], [dept.clientId]);
      idNumber = (await enrolCitizen(s.a, 'ma-jun', PASSWORD)).idNumber;
    });
    after(async () => {
      await s?.close();
    });

    it('a method disabled on A is no longer offered by B within 2 s', async () => {
      assert.ok((await chooserOffers(s.bUrl, dept)).includes('sms-otp'), 'B offers text messages before the change');
      const version = await savePolicy(s.a, (doc) => {
        doc.methods['sms-otp']!.enabled = false;
      });
      const took = await within(LIMIT_MS, 'B stops offering sms-otp', async () => !(await chooserOffers(s.bUrl, dept)).includes('sms-otp'));
      assert.equal(s.b.ctx.policy.current().version, version);
      assert.equal(s.b.ctx.methods.has('sms-otp'), false, "B's methods follow the version");
      assert.ok((await chooserOffers(s.bUrl, dept)).includes('id-card-password'), 'the other methods stay');
      console.log(`# ${name}: method disabled on A, gone from B's chooser after ${took} ms`);
    });

    it("a method enabled again on A with 8-digit codes: B offers it and texts 8 digits", async () => {
      await bindPhone(s.a, 'ma-jun');
      const phone = citizen('ma-jun').phone!;
      const version = await savePolicy(s.a, (doc) => {
        doc.methods['sms-otp']!.enabled = true;
        doc.methods['sms-otp']!.otp = { length: 8, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 };
      });
      await within(LIMIT_MS, 'B has the new version', () => s.b.ctx.policy.current().version === version);
      const b = browserAt(s.bUrl);
      const form = await openMethod(b, authUrl(dept.clientId, dept.redirectUri).url, 'sms-otp');
      const sent = await b.submit(form.text, /method\/sms-otp/, { phone });
      assert.equal(sent.status, 200, sent.text.slice(0, 300));
      const [text] = await outbox(s.a, phone);
      assert.match(text!.text, /(?<!\d)\d{8}(?!\d)/, 'the code has 8 digits');
    });

    it("a level raised on A is the acr of B's ID tokens, with A's ID-token lifetime", async () => {
      const before1 = await passwordIdToken(s.bUrl, dept, idNumber, PASSWORD);
      assert.equal(before1.acr, 'urn:tongban:loa:1');
      const version = await savePolicy(s.a, (doc) => {
        doc.methods['id-card-password']!.level = 2;
        doc.global.lifetimes.idTokenTtl = 1800;
      });
      await within(LIMIT_MS, 'B has the new version', () => s.b.ctx.policy.current().version === version);
      const claims = await passwordIdToken(s.bUrl, dept, idNumber, PASSWORD);
      assert.equal(claims.acr, 'urn:tongban:loa:2');
      assert.equal(Number(claims.exp) - Number(claims.iat), 1800);
    });

    it('a version nobody announced still reaches every instance within 2 s', async () => {
      const version = await savePolicy(
        s.a,
        (doc) => {
          doc.global.rateLimits.pair!.failures = 4;
        },
        { announce: false },
      );
      await within(LIMIT_MS, 'A and B check the newest version', () => s.a.ctx.policy.current().version === version && s.b.ctx.policy.current().version === version);
      assert.equal(s.b.ctx.policy.current().document.global.rateLimits.pair!.failures, 4);
    });

    it("common passwords refused on A are refused by B's registration", async () => {
      const c = citizen('zhou-xiuying');
      const register = async (password: string) => {
        const b = browserAt(s.bUrl);
        const chooser = await b.open(authUrl(dept.clientId, dept.redirectUri).url);
        const form = await b.open(chooser.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/)![1]!);
        return b.submit(form.text, /enrol/, { id_number: c.idNumber, name: c.name, password, phone: c.phone! });
      };
      assert.doesNotMatch((await register('Letmein2026')).text, /password_weak/, 'accepted before the change');
      const version = await savePolicy(s.a, (doc) => {
        doc.global.password.refused = ['letmein2026', 'Qwerty2026'];
        doc.global.password.minLength = 10;
      });
      await within(LIMIT_MS, 'B has the new version', () => s.b.ctx.policy.current().version === version);
      const refused = await register('LETMEIN2026');
      assert.equal(refused.status, 400);
      assert.match(refused.text, /password_weak/, 'a refused common password, whatever its case');
      assert.match((await register('Short2026')).text, /password_weak/, 'shorter than the new minimum');
    });

    it('the rate limits B enforces follow the policy: a lower failure count locks sooner', async () => {
      const version = await savePolicy(s.a, (doc) => {
        doc.global.rateLimits.pair!.failures = 1;
        doc.global.rateLimits.id!.failures = 1;
      });
      await within(LIMIT_MS, 'B has the new version', () => s.b.ctx.policy.current().version === version);
      // with the defaults, five wrong passwords pass before a pause; now one does
      const b = browserAt(s.bUrl);
      const wrong = async () => {
        const form = await b.open((await b.open(authUrl(dept.clientId, dept.redirectUri).url)).text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!);
        return b.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: 'Wrong2026guess' });
      };
      const first = await wrong();
      assert.notEqual(first.status, 429, 'the first wrong password is answered as wrong');
      const second = await wrong();
      assert.equal(second.status, 429, second.text.slice(0, 300));
      assert.match(second.text, /rate_limited|尝试次数过多/);
    });
  });
}

propagationSuite('live policy in one process', async () => {
  const stack = await startStack();
  return { issuer: stack.issuer, a: stack, b: stack, bUrl: stack.issuer, close: () => stack.close() };
});

propagationSuite(
  'live policy across two instances sharing PostgreSQL and Redis',
  async () => {
    const multi = await startInstances(2);
    return { issuer: multi.issuer, a: multi.stacks[0]!, b: multi.stacks[1]!, bUrl: multi.direct(1), close: () => multi.close() };
  },
  { skip: sharedBackends },
);
