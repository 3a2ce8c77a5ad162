/**
 * Lockouts protect and do not punish (NIST SP 800-63B §5.2.2), with the production numbers:
 * a stranger's wrong passwords punish the stranger's address, pause the citizen's password
 * sign-in from new devices for at most 5 minutes a day, and after 100 failures in a day close
 * it to new devices only; the citizen's own device and address, and other methods, work
 * throughout. Strangers cannot use up the texts a number's owner gets. Time moves by the
 * limiter's clock, not by sleeping; addresses come from X-Forwarded-For behind one trusted proxy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { bindPhone, latestCode, outbox } from '../providers/sms-otp/steps.ts';
import { requestLog } from '../providers/social-security-card/flow.ts';
import { socialSecurityCardOf } from '../../providers/social-security-card/sandbox.ts';

type Page = { status: number; text: string; location?: string };

describe('lockouts that protect without punishing', () => {
  let stack: Stack;
  let client: TestClient;
  let now = Date.UTC(2026, 11, 1, 8, 0, 0);
  const advance = (seconds: number) => (now += seconds * 1000);
  const password = 'Right2026pass';

  before(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1' }, clock: () => now });
    client = await addClient(stack, 'lockout-dept', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  /** a browser whose requests come from `ip` (through the one trusted proxy) */
  function from(ip: string, browser = new Browser(stack.issuer)): Browser {
    browser.agent.set('X-Forwarded-For', ip);
    return browser;
  }
  const signedIn = (p: Page) => Boolean(p.location?.startsWith(client.redirectUri));
  // prompt=login: a browser with a session is asked again, as after signing out
  const chooser = async (b: Browser) => (await b.open(authUrl(client.clientId, client.redirectUri, { prompt: 'login' }).url)).text;
  const tryPassword = async (b: Browser, idNumber: string, pw: string) => passwordLogin(b, await chooser(b), idNumber, pw);
  let probes = 0;
  /** the citizen on a device and address we have never seen */
  const newDevice = () => from(`198.51.100.${100 + ++probes}`);
  async function smsLogin(b: Browser, phone: string): Promise<Page> {
    const page = await chooser(b);
    const link = page.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!;
    const codePage = await b.submit((await b.open(link)).text, /method\/sms-otp/, { phone });
    assert.equal(codePage.status, 200, codePage.text.slice(0, 300));
    return b.submit(codePage.text, /method\/sms-otp/, { code: await latestCode(stack, phone) });
  }
  const locks = async (scope: string) =>
    (
      await stack.ctx.db.query<{ seconds: number }>("SELECT (data->>'seconds')::int AS seconds FROM audit_log WHERE type = 'login.locked' AND data->>'scope' = $1", [scope])
    ).rows.map((r) => r.seconds);

  it('punishes one stranger address with doubling waits and never pauses the citizen for it', async () => {
    const who = await enrolCitizen(stack, 'wu-haoran', password);
    const stranger = from('203.0.113.250');
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) assert.equal((await tryPassword(stranger, who.idNumber, `Wrong2026x${i}`)).status, 401);
    for (let round = 0; round < 4; round++) {
      const r = await tryPassword(stranger, who.idNumber, password);
      assert.equal(r.status, 429, 'the stranger address waits, even with the right password');
      const wait = Number(r.text.match(/(\d+) 秒后再试/)?.[1]);
      waits.push(wait);
      advance(wait);
      // one more try after each wait, then a longer wait
      assert.equal((await tryPassword(stranger, who.idNumber, 'Wrong2026again')).status, 401);
      assert.ok(signedIn(await tryPassword(newDevice(), who.idNumber, password)), 'the citizen is never paused by one address');
    }
    assert.deepEqual(waits, [60, 120, 240, 480]);
    assert.deepEqual(await locks('id'), [], 'the account itself was never paused');
  });

  it('pauses password sign-in from new devices at most 5 minutes a day, while the own device, address and SMS work', async () => {
    const who = await enrolCitizen(stack, 'li-na', password);
    await bindPhone(stack, 'li-na');
    const home = from('198.51.100.7');
    assert.ok(signedIn(await tryPassword(home, who.idNumber, password)), 'signs in at home once: device and address known');
    // the citizen's phone browser: SMS sign-in from it is known after its first use
    const mobile = newDevice();
    let strangers = 0;
    const burst = async (n: number) => {
      // five wrong passwords from each new address: under the per-address limit, as a botnet would
      for (let sent = 0; sent < n; ) {
        const s = from(`203.0.113.${++strangers}`);
        for (let i = 0; i < 5 && sent < n; i++, sent++) assert.equal((await tryPassword(s, who.idNumber, `Wrong2026x${i}`)).status, 401);
      }
    };
    for (let round = 0; round < 6; round++) {
      await burst(10);
      if (round < 5) {
        assert.equal((await tryPassword(newDevice(), who.idNumber, password)).status, 429, `round ${round}: a new device waits`);
        assert.ok(signedIn(await tryPassword(home, who.idNumber, password)), 'the own device signs in during the pause');
        assert.ok(signedIn(await smsLogin(mobile, citizen('li-na').phone!)), 'another method signs in during the pause');
        advance(60);
      }
      // after a pause (and once the day's 5 minutes are spent, at once) a new device signs in
      assert.ok(signedIn(await tryPassword(newDevice(), who.idNumber, password)), `round ${round}: a new device signs in`);
    }
    const paused = await locks('id');
    assert.deepEqual(paused, [60, 60, 60, 60, 60], 'five pauses of a minute, then the day’s budget is spent');

    // 100 failures in a day: new devices wait for the day; the own device and address do not
    await burst(40);
    assert.deepEqual(await locks('id-day'), [86_400]);
    assert.equal((await tryPassword(newDevice(), who.idNumber, password)).status, 429);
    assert.ok(signedIn(await tryPassword(home, who.idNumber, password)), 'the own device signs in');
    assert.ok(signedIn(await tryPassword(from('198.51.100.7'), who.idNumber, password)), 'the own address signs in from another browser');
    assert.ok(signedIn(await smsLogin(mobile, citizen('li-na').phone!)), 'SMS signs in');
    advance(86_400);
    assert.ok(signedIn(await tryPassword(newDevice(), who.idNumber, password)), 'the next day a new device signs in');
  });

  it('shows each pause and its end in the citizen’s activity', async () => {
    const who = citizen('li-na');
    const b = from('198.51.100.7');
    const page = await b.open('/account');
    const done = await passwordLogin(b, page.text, who.idNumber, password);
    assert.equal(done.status, 200, done.text.slice(0, 300));
    const paused = done.text.match(/身份证号码 \+ 密码因多次错误尝试暂停 1 分钟/g) ?? [];
    assert.equal(paused.length, 5, 'five one-minute pauses');
    assert.match(done.text, /因多次错误尝试暂停 24 小时/, 'the daily cap');
    assert.match(done.text, /暂停后已重新登录：身份证号码 \+ 密码/);
    assert.doesNotMatch(done.text, new RegExp(who.idNumber));
  });

  it('never lets strangers make the authority lock a card: at most 5 wrong PINs in a row reach it, whatever the addresses', async () => {
    const card = socialSecurityCardOf('xu-li');
    const wrongPin = card.pin === '000000' ? '999999' : '000000';
    const asked = async () => (await requestLog(stack, 'social-security')).filter((x) => x.path === '/api/v2/card/verify').length;
    const submitFrom = async (b: Browser, pin: string) => {
      const page = await chooser(b);
      const link = page.match(/href="(\/interaction\/[^"]+\/method\/social-security-card)"/)![1]!;
      return b.submit((await b.open(link)).text, /method\/social-security-card/, { card_no: card.cardNo, pin });
    };
    // the citizen signed in with the card once: the card is linked to her, so the pause is hers to see
    assert.ok(signedIn(await submitFrom(from('198.51.100.50'), card.pin)));
    const before = await asked();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = from(`203.0.113.${200 + i}`);
      for (let j = 0; j < 2; j++) statuses.push((await submitFrom(s, wrongPin)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    assert.equal((await asked()) - before, 5, 'five wrong PINs reached the authority, one fewer than it locks at');
    assert.equal((await submitFrom(newDevice(), card.pin)).status, 429, 'card sign-in waits');
    assert.equal((await submitFrom(from('198.51.100.50'), card.pin)).status, 429, 'for everyone: the next wrong PIN would lock the card');
    assert.deepEqual(await locks('card'), [30 * 86_400]);
    advance(86_400);
    assert.equal((await submitFrom(newDevice(), wrongPin)).status, 429, 'a day later a stranger still cannot make the sixth');
    advance(29 * 86_400);
    assert.ok(signedIn(await submitFrom(newDevice(), card.pin)), 'after the wait the card still works at the authority');
  });

  it('sends a number at most 5 codes a day from devices its owner never signed in from, and still texts the owner’s own device', async () => {
    await bindPhone(stack, 'zhang-wei');
    const phone = citizen('zhang-wei').phone!;
    const home = from('198.51.100.9');
    assert.ok(signedIn(await smsLogin(home, phone)), 'the owner signs in by SMS at home once');
    const before = (await outbox(stack, phone)).length;
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) {
      const s = from(`192.0.2.${i + 1}`);
      const page = await chooser(s);
      const link = page.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!;
      answers.push((await s.submit((await s.open(link)).text, /method\/sms-otp/, { phone })).status);
    }
    // the owner's own first code came from a device we did not know yet: it was one of the five
    assert.deepEqual(answers, [200, 200, 200, 200, 429, 429, 429, 429]);
    assert.equal((await outbox(stack, phone)).length - before, 4, 'four unrequested texts, no more');
    assert.ok(signedIn(await smsLogin(home, phone)), 'the owner’s device still gets a code and signs in');
    assert.ok(signedIn(await smsLogin(from('198.51.100.9'), phone)), 'so does the owner’s address');
  });
});

describe('the service-wide cap on texts (SMS pumping)', () => {
  let stack: Stack;
  let client: TestClient;
  before(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1' }, rateScopes: { 'sms-global': { threshold: 3, windowSeconds: 600, baseSeconds: 60, maxSeconds: 60 } } });
    client = await addClient(stack, 'pumping-dept', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('stops texting once the service-wide cap is reached, whatever the numbers and addresses', async () => {
    const keys = ['wang-fang', 'zhou-xiuying', 'huang-qiang', 'yang-lei'];
    const answers: number[] = [];
    for (const [i, key] of keys.entries()) {
      await bindPhone(stack, key);
      const b = new Browser(stack.issuer);
      b.agent.set('X-Forwarded-For', `192.0.2.${50 + i}`);
      const page = (await b.open(authUrl(client.clientId, client.redirectUri).url)).text;
      const link = page.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!;
      answers.push((await b.submit((await b.open(link)).text, /method\/sms-otp/, { phone: citizen(key).phone! })).status);
    }
    assert.deepEqual(answers, [200, 200, 200, 429]);
    assert.deepEqual(await outbox(stack, citizen('yang-lei').phone!), []);
  });
});
