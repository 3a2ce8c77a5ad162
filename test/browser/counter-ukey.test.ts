/**
 * Counter staff sign in to the console with their UKey in a real browser, with the signing
 * software on another site (as it is in production): the console's session cookie is
 * SameSite=Strict, so the sign-in that comes back from that site must end on a same-site step
 * before the console is opened, or the browser never sends the cookie and loops.
 * Also the counter slip as printed: its Print button runs under our CSP, in the console's language.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { seedCentres, verifyFields } from '../counter/support.ts';
import { launchChromium, type Chromium } from './support/chromium.ts';

/** The sandbox's signing software reached under another site name (localhost, not 127.0.0.1). */
async function otherSite(): Promise<{ url: string; target: { url: string }; server: Server }> {
  const target = { url: '' };
  const server = createServer((req, res) => {
    const to = new URL(req.url ?? '/', target.url);
    const up = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  // both address families: the browser may reach localhost over either
  await new Promise<void>((r) => server.listen(0, '::', r));
  return { url: `http://localhost:${(server.address() as { port: number }).port}`, target, server };
}

async function signInWithUkey(page: Page, stack: Stack, staffKey: string): Promise<void> {
  await page.goto(`${stack.issuer}/counter`);
  const ukey = page.locator('a[href$="/method/certificate"]').first();
  // the chooser may keep it under "more ways"
  if (!(await ukey.isVisible())) await page.locator('details:has(a[href$="/method/certificate"]) > summary').click();
  await ukey.click();
  await page.locator('a.button[href*="/sign?"]').click();
  assert.match(page.url(), /^http:\/\/localhost:/, 'the signing software is on another site');
  await page.check(`input[name="cert"][value="${staffKey}:valid"]`);
  await page.locator('button[name="action"][value="sign"]').click();
  await page.waitForURL(`${stack.issuer}/counter`);
}

describe('the counter console in a browser', { timeout: 300_000 }, () => {
  let stack: Stack;
  let chromium: Chromium;
  let signer: Awaited<ReturnType<typeof otherSite>>;

  before(async () => {
    signer = await otherSite();
    stack = await startStack({ methodSettings: { certificate: { signerUrl: `${signer.url}/ca/sign` } } });
    signer.target.url = stack.sandboxUrl;
    await seedCentres(stack);
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await stack?.close();
    signer?.server.closeAllConnections();
    await new Promise((r) => signer?.server.close(r));
  });

  it('signs staff in by UKey from the signer’s site, and keeps the console cookie SameSite=Strict', async () => {
    const context = await chromium.context();
    const page = await context.newPage();
    await signInWithUkey(page, stack, 'yang-lei');
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /窗口工作台/ }).waitFor());
    const cookies = await context.cookies(`${stack.issuer}/counter`);
    const session = cookies.find((c) => c.name === 'tongban_counter');
    assert.equal(session?.sameSite, 'Strict');
    assert.equal(session?.httpOnly, true);
    // the sign-in's state cookie is gone once used
    assert.equal(cookies.find((c) => c.name === 'tongban_counter_state'), undefined);
    await context.close();
  });

  it('prints the slip with its Print button, in English on the English console, with a QR code that leads to a page that exists', async () => {
    const context = await chromium.context({ locale: 'en' });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    await signInWithUkey(page, stack, 'yang-lei');
    await page.goto(`${stack.issuer}/counter?lang=en`);
    const fields = verifyFields('wang-fang');
    await page.fill('#id_number', fields.id_number!);
    await page.fill('#name', fields.name!);
    await page.fill('#card_expiry', fields.card_expiry!);
    await page.check('#face_match');
    await page.fill('#reason-verify', 'In person');
    await page.locator('form[action="/counter/verify"] button[type="submit"]').click();

    // the visit page: seven forms ask for a reason (family proxy among them), each field with its own id and a working label
    await page.locator('#reason-code').waitFor();
    const fieldsOnPage = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((e) => (e as HTMLInputElement).labels?.length !== 1)
        .map((e) => e.outerHTML);
      return { ids, unlabelled, reasons: document.querySelectorAll('input[name="reason"]').length };
    });
    assert.equal(fieldsOnPage.reasons, 7);
    assert.deepEqual(fieldsOnPage.ids.filter((id, i) => fieldsOnPage.ids.indexOf(id) !== i), [], 'no id twice');
    assert.deepEqual(fieldsOnPage.unlabelled, [], 'every field has one label');
    assert.equal(await page.getByLabel('Reason').count(), 7);

    await page.fill('#reason-code', 'No phone');
    await page.locator('form[action="/counter/code"] button[type="submit"]').click();

    const slip = page.locator('section.slip');
    await slip.waitFor();
    assert.match(await slip.innerText(), /counter code/i);
    // nothing Chinese on the English slip but the centre's own name
    const centre = '黄浦区第一社区事务受理服务中心';
    assert.match(await slip.innerText(), new RegExp(`Issued at ${centre}`));
    assert.doesNotMatch((await slip.innerText()).replace(centre, ''), /[\u4e00-\u9fff]/);

    // the browser's print dialog is replaced by a marker: the click must reach window.print
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await page.getByRole('button', { name: 'Print' }).click();
    assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    assert.deepEqual(refused, []);

    // the QR's label names its URL; a new browser (no session) that opens it lands on a page
    const label = (await slip.locator('svg.qr').getAttribute('aria-label')) ?? '';
    const url = label.match(/https?:\/\/\S+/)?.[0];
    assert.ok(url?.startsWith(stack.issuer), label);
    const fresh = await chromium.context({ locale: 'en' });
    const citizenPage = await fresh.newPage();
    const res = await citizenPage.goto(url!);
    assert.equal(res?.status(), 200);
    await assert.doesNotReject(citizenPage.getByText('I have a counter code').first().waitFor({ state: 'attached' }));
    await fresh.close();
    await context.close();
  });
});
