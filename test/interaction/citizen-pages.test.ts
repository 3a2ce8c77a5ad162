/**
 * The sign-in pages as a citizen meets them: forms keep what was typed (never a secret), every
 * error and end page has a way on, the first visit speaks the browser's language and a switch
 * mid-flow keeps the step, names keep their own language, the protocol error page speaks the
 * page's language, consent lists what the app receives, and forgotten-password help.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { challengePage } from '../../src/interaction/views.ts';
import type { LoginMethod } from '../../providers/kit/index.ts';

describe('citizen pages', () => {
  let stack: Stack;
  let dept: TestClient;
  let who: Awaited<ReturnType<typeof enrolCitizen>>;

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'social', { client_name: '社保服务' });
    who = await enrolCitizen(stack, 'li-na', 'Lotus2026pond');
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  const passwordPage = async (b: Browser, extra: Record<string, string> = {}) => {
    const chooser = await b.open(authUrl(dept.clientId, dept.redirectUri, extra).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/);
    assert.ok(link, 'the chooser offers the password method');
    return b.open(link[1]!);
  };

  it('keeps the ID number after a wrong password, never the password, and links forgotten-password help', async () => {
    const b = new Browser(stack.issuer);
    const form = await passwordPage(b);
    const help = form.text.match(/href="(\/help\/password\?back=[^"]+)"/);
    assert.ok(help, 'the password form links the help page');
    const wrong = await b.submit(form.text, /method\/id-card-password/, { id_number: who.idNumber, password: 'Wrong2026pass' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /login_failed/);
    assert.match(wrong.text, new RegExp(`name="id_number"[^>]*value="${who.idNumber}"`));
    assert.doesNotMatch(wrong.text, /Wrong2026pass/);
    assert.match(wrong.text, /<input id="password" name="password" type="password" maxlength="128" required/);

    const page = await b.open(help[1]!.replace(/&amp;/g, '&'));
    assert.equal(page.status, 200);
    assert.match(page.text, /忘记密码怎么办/);
    assert.match(page.text, /社区事务受理服务中心窗口/);
    assert.match(page.text, /短信验证码/);
    assert.match(page.text, /<a class="button" href="\/interaction\/[A-Za-z0-9_-]+">返回登录<\/a>/);
    // a way back only into one of our own sign-ins
    const elsewhere = await b.open('/help/password?back=https%3A%2F%2Fevil.example%2F');
    assert.equal(elsewhere.status, 200);
    assert.doesNotMatch(elsewhere.text, /href="https:\/\/evil\.example/);
    assert.doesNotMatch(elsewhere.text, /返回登录/);
    assert.match(elsewhere.text, /href="\/account"/);
  });

  it('does not mark an optional field as required, and refills only fields that keep what was typed', () => {
    const method = { id: 'x', label: 'counter-code.label' } as unknown as LoginMethod;
    const html = challengePage(
      { lang: 'zh-CN', path: '/p', uid: 'u1', clientName: 'App', csrf: 'c', kiosk: false, elder: false },
      {
        method,
        flow: 'login',
        challenge: {
          kind: 'form',
          step: 's',
          title: 'counter-code.passwordTitle',
          submit: 'continue',
          fields: [
            { name: 'password', label: 'counter-code.password', type: 'password', maxLength: 128, optional: true, keep: true },
            { name: 'name', label: 'fieldName', type: 'text', maxLength: 50, keep: true },
            { name: 'card', label: 'bank-card.cardNumber', type: 'text', maxLength: 23 },
          ],
        },
        typed: { password: 'Secret2026x', name: '李娜', card: '6222020200112233445' },
      },
    );
    assert.match(html, /<input id="password" name="password" type="password" maxlength="128"\s/);
    assert.doesNotMatch(html, /name="password"[^>]*required/);
    assert.doesNotMatch(html, /Secret2026x/);
    assert.match(html, /name="name" type="text" maxlength="50" required value="李娜"/);
    assert.doesNotMatch(html, /6222020200112233445/);
  });

  it('gives every error and end page a way on', async () => {
    const b = new Browser(stack.issuer);
    const form = await passwordPage(b);
    const uid = form.path.match(/\/interaction\/([^/]+)\//)![1]!;
    const stale = await b.submit(form.text, /method\/id-card-password/, { id_number: who.idNumber, password: 'x' }, { csrf: 'forged' });
    assert.equal(stale.status, 403);
    assert.match(stale.text, new RegExp(`<a href="/interaction/${uid}">重新选择登录方式</a>`));
    assert.match(stale.text, new RegExp(`action="/interaction/${uid}/abort"`));

    const gone = await new Browser(stack.issuer).open('/interaction/no-such-interaction');
    assert.equal(gone.status, 400);
    assert.match(gone.text, /<a href="\/account">/);

    const out = await new Browser(stack.issuer).open('/session/end/success');
    assert.equal(out.status, 200);
    assert.match(out.text, /您已退出登录/);
    assert.match(out.text, /<a href="\/account">重新登录通办 ID<\/a>/);
  });

  it('speaks the browser language on a first visit, and marks a Chinese name on an English page', async () => {
    const b = new Browser(stack.issuer);
    b.agent.set('Accept-Language', 'en-GB,en;q=0.9');
    const chooser = await b.open(authUrl(dept.clientId, dept.redirectUri).url);
    assert.match(chooser.text, /<html lang="en">/);
    assert.match(chooser.text, /Sign in to continue to “<span lang="zh-CN">社保服务<\/span>”/);

    const zh = new Browser(stack.issuer);
    zh.agent.set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.5');
    assert.match((await zh.open(authUrl(dept.clientId, dept.redirectUri).url)).text, /<html lang="zh-CN">/);
    // a choice made on the page wins over the browser, also on the next visit
    const switchLink = chooser.text.match(/href="([^"]*[?&]lang=zh-CN[^"]*)"/);
    assert.ok(switchLink, 'the page offers Chinese');
    const chosen = await b.open(switchLink[1]!.replace(/&amp;/g, '&'));
    assert.match(chosen.text, /<html lang="zh-CN">/);
    assert.match(chosen.text, /登录以继续使用「社保服务」/);
    assert.match((await b.open(authUrl(dept.clientId, dept.redirectUri).url)).text, /<html lang="zh-CN">/);

    // each browser's own preference, however often the same ones come back, and however long
    const firstVisit = async (acceptLanguage: string) => {
      const other = new Browser(stack.issuer);
      other.agent.set('Accept-Language', acceptLanguage);
      return /<html lang="([^"]+)">/.exec((await other.open(authUrl(dept.clientId, dept.redirectUri).url)).text)?.[1];
    };
    const long = `fr;q=0.1, ${Array.from({ length: 40 }, (_, i) => `x-tag${i};q=0.2`).join(', ')}, en;q=0.9`;
    for (const [header, lang] of [['en-GB,en;q=0.9', 'en'], ['zh-CN,zh;q=0.9,en;q=0.5', 'zh-CN'], [long, 'en'], ['en-GB,en;q=0.9', 'en'], [long, 'en'], ['de', 'zh-CN']] as const) {
      assert.equal(await firstVisit(header), lang, header.slice(0, 40));
    }
  });

  it('switching language on a method\'s first page shows that form in the other language, and it still signs in', async () => {
    const b = new Browser(stack.issuer);
    const form = await passwordPage(b);
    assert.match(form.text, /<html lang="zh-CN">/);
    const switchLink = form.text.match(/href="([^"]*[?&]lang=en[^"]*)"/);
    assert.ok(switchLink, 'the page offers English');
    const english = await b.open(switchLink[1]!.replace(/&amp;/g, '&'));
    assert.equal(english.status, 200);
    assert.match(english.text, /<html lang="en">/);
    assert.match(english.text, /name="id_number"/);
    assert.match(english.text, /name="password"/);
    assert.doesNotMatch(english.text, /role="alert"/, 'a first page carries no error');
    // signed in: the department's consent page comes next, in the language chosen
    const done = await b.submit(english.text, /method\/id-card-password/, { id_number: who.idNumber, password: 'Lotus2026pond' });
    assert.equal(done.status, 200);
    assert.match(done.text, /<html lang="en">/);
    assert.match(done.text, /<form[^>]*action="[^"]*\/consent"/);
  });

  it('switching language mid-flow shows the same step again, with the ID number kept', async () => {
    const b = new Browser(stack.issuer);
    const form = await passwordPage(b);
    const wrong = await b.submit(form.text, /method\/id-card-password/, { id_number: who.idNumber, password: 'Wrong2026pass' });
    assert.equal(wrong.status, 401);
    const switchLink = wrong.text.match(/href="([^"]*[?&]lang=en[^"]*)"/);
    assert.ok(switchLink, 'the page offers English');
    const english = await b.open(switchLink[1]!.replace(/&amp;/g, '&'));
    assert.equal(english.status, 200);
    assert.match(english.text, /<html lang="en">/);
    assert.match(english.text, /The ID number or the password is not correct/);
    assert.match(english.text, new RegExp(`name="id_number"[^>]*value="${who.idNumber}"`));
    assert.doesNotMatch(english.text, /Wrong2026pass/);

    // a text-message sign-in stays on its code step: no new code, no phone form again
    const sms = new Browser(stack.issuer);
    const chooser = await sms.open(authUrl(dept.clientId, dept.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/sms-otp)"/)![1]!;
    const phoneForm = await sms.open(link);
    const codeStep = await sms.submit(phoneForm.text, /method\/sms-otp/, { phone: who.phone! });
    assert.equal(codeStep.status, 200);
    assert.match(codeStep.text, /name="code"/);
    const again = await sms.open(`${link}?lang=en`);
    assert.match(again.text, /<html lang="en">/);
    assert.match(again.text, /name="code"/);
    assert.doesNotMatch(again.text, /name="phone"/);
  });

  it('shows our own Chinese description of a protocol error, the provider’s English only as technical detail', async () => {
    const b = new Browser(stack.issuer);
    const bad = await b.open(authUrl(dept.clientId, 'https://evil.example/callback').url);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /<html lang="zh-CN">/);
    const alert = bad.text.match(/<div class="error" role="alert">([\s\S]*?)<\/div>/)![1]!;
    assert.match(alert, /应用要求登录后返回的地址未登记/);
    assert.doesNotMatch(alert, /[a-z]{4,} [a-z]{4,} [a-z]{4,}/, 'no English sentence in the message');
    assert.match(bad.text, /<details><summary>技术信息（供应用开发人员）<\/summary><p lang="en">[^<]+<\/p><\/details>/);
  });

  it('lists on consent what the app receives, never the raw act claim, and again in full when more is asked', async () => {
    const b = new Browser(stack.issuer);
    const first = await passwordLogin(b, (await b.open(authUrl(dept.clientId, dept.redirectUri).url)).text, who.idNumber, 'Lotus2026pond');
    assert.equal(first.status, 200);
    assert.match(first.text, /姓名/);
    assert.match(first.text, /出生日期/);
    assert.match(first.text, /性别/);
    assert.doesNotMatch(first.text, /<li>act<\/li>/);
    assert.match(first.text, /<a href="\/account">我的账号<\/a>/);
    const done = await b.submit(first.text, /\/consent$/, { decision: 'allow' });
    assert.ok(done.location?.startsWith(dept.redirectUri), `allowed (${done.status})`);

    // a repeat consent for one more scope lists everything the app will receive
    const more = await b.open(authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile phone' }).url);
    assert.equal(more.status, 200);
    assert.match(more.text, /手机号码/);
    assert.match(more.text, /姓名/);
    assert.match(more.text, /出生日期/);
    assert.doesNotMatch(more.text, /只会知道是您本人登录/);
  });

  it('prompt=login on a signed-in session asks for a fresh sign-in without counting one done', async () => {
    const b = new Browser(stack.issuer);
    const first = await passwordLogin(b, (await b.open(authUrl(dept.clientId, dept.redirectUri).url)).text, who.idNumber, 'Lotus2026pond');
    if (first.status === 200) await b.submit(first.text, /\/consent$/, { decision: 'allow' });
    const again = await b.open(authUrl(dept.clientId, dept.redirectUri, { prompt: 'login' }).url);
    assert.equal(again.status, 200);
    assert.match(again.text, /登录以继续使用「社保服务」/);
    assert.doesNotMatch(again.text, /已完成一项验证/);
  });
});
