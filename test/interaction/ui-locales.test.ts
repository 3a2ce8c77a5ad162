/**
 * An authorization request's `ui_locales` decides the sign-in pages' language when the person has
 * not chosen one: over the browser's Accept-Language, under the person's own choice (the
 * `tongban_lang` cookie), for every page of that sign-in, and on the provider's own error page.
 */
// test-pass: embedded — the language is decided from the request alone; no store behaviour is involved
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { langOfUiLocales } from '../../src/web/lang.ts';

describe('ui_locales', () => {
  let stack: Stack;
  let dept: TestClient;

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'ui-locales-dept', { client_name: '社保服务' });
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  const langOfPage = (text: string) => text.match(/<html lang="([^"]+)">/)?.[1];

  async function chooser(b: Browser, uiLocales?: string) {
    const page = await b.open(authUrl(dept.clientId, dept.redirectUri, uiLocales ? { ui_locales: uiLocales } : {}).url);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    return page;
  }

  it('is published in discovery', async () => {
    const res = await request(stack.issuer).get('/.well-known/openid-configuration');
    assert.deepEqual(res.body.ui_locales_supported, ['zh-CN', 'en']);
    assert.ok(res.body.claim_types_supported, 'the other discovery defaults are kept');
  });

  it('decides the language over Accept-Language, for every page of the sign-in', async () => {
    const en = new Browser(stack.issuer);
    en.agent.set('Accept-Language', 'zh-CN,zh;q=0.9');
    const page = await chooser(en, 'en');
    assert.equal(langOfPage(page.text), 'en');
    assert.match(page.text, /Sign in to continue/);
    const link = page.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/);
    assert.ok(link, 'the chooser offers the password method');
    const form = await en.open(link[1]!);
    assert.equal(langOfPage(form.text), 'en', 'the next page of the same sign-in too');

    const zh = new Browser(stack.issuer);
    zh.agent.set('Accept-Language', 'en-GB,en;q=0.9');
    assert.equal(langOfPage((await chooser(zh, 'zh-CN')).text), 'zh-CN');
  });

  it('takes the first language we speak, in any case, a region falling back to its language', async () => {
    const b = new Browser(stack.issuer);
    b.agent.set('Accept-Language', 'zh-CN');
    assert.equal(langOfPage((await chooser(b, 'fr-FR EN-gb zh-CN')).text), 'en');
    assert.equal(langOfUiLocales('de zh-hans en'), 'zh-CN');
    assert.equal(langOfUiLocales('fr de'), undefined);
    assert.equal(langOfUiLocales(['en']), undefined, 'only a string is read');
    // none we speak: the browser's preference decides
    const other = new Browser(stack.issuer);
    other.agent.set('Accept-Language', 'en');
    assert.equal(langOfPage((await chooser(other, 'fr de')).text), 'en');
  });

  it('gives way to the person’s own choice', async () => {
    const b = new Browser(stack.issuer);
    b.agent.set('Cookie', 'tongban_lang=zh-CN');
    assert.equal(langOfPage((await chooser(b, 'en')).text), 'zh-CN');
    const switched = new Browser(stack.issuer);
    const page = await chooser(switched, 'en');
    const toZh = page.text.match(/href="([^"]*[?&]lang=zh-CN[^"]*)"/);
    assert.ok(toZh, 'the page offers Chinese');
    assert.equal(langOfPage((await switched.open(toZh[1]!.replace(/&amp;/g, '&'))).text), 'zh-CN');
  });

  it('speaks it on the provider’s error page for that request', async () => {
    const b = new Browser(stack.issuer);
    b.agent.set('Accept-Language', 'zh-CN');
    const res = await b.agent.get(authUrl(dept.clientId, 'https://elsewhere.example/cb', { ui_locales: 'en' }).url).redirects(0);
    assert.equal(res.status, 400, res.text.slice(0, 300));
    assert.equal(langOfPage(res.text), 'en');
  });
});
