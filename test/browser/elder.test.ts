/**
 * Elder mode (长辈模式) measured in a real browser against the MIIT elder-friendly numbers (April
 * 2021): text at least 18px and the largest at least 30px, line spacing at least 1.3, contrast at
 * least 4.5:1, controls at least 60x60, on every citizen page state on a 360px phone screen; the
 * switch works without JavaScript and is remembered; focus rings of at least 3:1; sizes in rem.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserSuite, startSignIn, type BrowserSuite } from './support/suite.ts';
import { citizenStates, prepareCitizen, type Walk } from './support/page-states.ts';
import { focusRing, measureElder, scrollsSideways } from './support/measure.ts';
import { activate } from './support/keyboard.ts';

const MIIT = { minTextPx: 18, minLineRatio: 1.3, minContrast: 4.5, minTargetPx: 60 };

let suite: BrowserSuite;

before(async () => {
  suite = await startBrowserSuite();
  await prepareCitizen(suite.stack, 'zhou-xiuying');
});
after(async () => {
  await suite?.close();
});

describe('elder mode', () => {
  it('is switched on and off from the page by a plain link, without JavaScript, and remembered', { timeout: 120_000 }, async () => {
    const context = await suite.context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await startSignIn(page, suite);
    assert.equal(await page.locator('body.elder').count(), 0, 'off at first');
    await activate(page, page.locator('a.elder-switch'), 'the elder-mode switch', /elder=1/);
    assert.equal(await page.locator('body.elder').count(), 1, 'on after the switch');
    assert.match(await page.locator('a.elder-switch').innerText(), /退出长辈模式/);
    // another page of the same sign-in: still on (the cookie)
    await page.goto(page.url().replace(/\?.*$/, '').replace(/\/?$/, '/method/id-card-password'));
    assert.equal(await page.locator('body.elder').count(), 1, 'remembered on the next page');
    await activate(page, page.locator('a.elder-switch'), 'the switch back', /elder=0/);
    assert.equal(await page.locator('body.elder').count(), 0, 'off again');
    await context.close();
  });

  it('meets the MIIT numbers on every citizen page state, on a 360px screen, without sideways scrolling', { timeout: 300_000 }, async () => {
    const context = await suite.context({ viewport: { width: 360, height: 640 } });
    await context.addCookies([{ name: 'tongban_elder', value: '1', url: suite.stack.issuer }]);
    const page = await context.newPage();
    const walk: Walk = { suite, page, who: 'zhou-xiuying' };
    const failures: string[] = [];
    let measured = 0;
    for (const state of citizenStates([...suite.stack.ctx.methods.keys()])) {
      let reached: boolean | void;
      try {
        reached = await state.reach(walk);
      } catch (err) {
        failures.push(`could not reach "${state.name}" (at ${page.url()}): ${(err as Error).message.split('\n')[0]}`);
        break;
      }
      if (reached === false) continue;
      const m = await measureElder(page, MIIT);
      const at = `${state.name} (${new URL(page.url()).pathname})`;
      if (m.smallText.length) failures.push(`${at}: text under 18px: ${m.smallText.join('; ')}`);
      if (m.largestFontPx < 30) failures.push(`${at}: the largest text is ${m.largestFontPx}px, under 30px`);
      if (m.tightLines.length) failures.push(`${at}: line spacing under 1.3: ${m.tightLines.join('; ')}`);
      if (m.lowContrast.length) failures.push(`${at}: contrast under 4.5:1: ${m.lowContrast.join('; ')}`);
      if (m.smallTargets.length) failures.push(`${at}: controls under 60x60: ${m.smallTargets.join('; ')}`);
      const wide = await scrollsSideways(page);
      if (wide) failures.push(`${at}: scrolls sideways at 360px (${wide.scrollWidth} > ${wide.clientWidth})`);
      measured++;
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.ok(measured >= 20, `${measured} page states measured`);
    await context.close();
  });
});

describe('focus', () => {
  async function ringsOnTab(page: Page, presses: number): Promise<string[]> {
    const weak: string[] = [];
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press('Tab');
      const ring = await focusRing(page);
      if (ring && (ring.widthPx < 2 || ring.contrast < 3)) weak.push(`${ring.what}: ${ring.widthPx}px at ${ring.contrast.toFixed(2)}:1`);
    }
    return weak;
  }

  for (const elder of [false, true]) {
    it(`shows a ring of at least 2px and 3:1 on every control, the skip link first${elder ? ' (elder mode)' : ''}`, { timeout: 120_000 }, async () => {
      const context = await suite.context();
      if (elder) await context.addCookies([{ name: 'tongban_elder', value: '1', url: suite.stack.issuer }]);
      const page = await context.newPage();
      await startSignIn(page, suite);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip', 'the skip link comes first');
      const skip = await focusRing(page);
      assert.ok(skip && skip.widthPx >= 2 && skip.contrast >= 3, `skip link ring: ${JSON.stringify(skip)}`);
      assert.ok((await page.locator('.skip').boundingBox())!.y >= 0, 'the focused skip link is on screen');
      const weak = await ringsOnTab(page, 16);
      await page.goto(`${page.url().replace(/\?.*$/, '')}/method/id-card-password`);
      weak.push(...(await ringsOnTab(page, 10)));
      assert.deepEqual(weak, []);
      await context.close();
    });
  }
});

describe('sizes', () => {
  it('are in rem and em, so the browser font setting scales every page', { timeout: 120_000 }, async () => {
    for (const file of ['site.css', 'elder.css']) {
      const css = readFileSync(new URL(`../../src/web/assets/${file}`, import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      assert.doesNotMatch(css, /\d+px\b/, `${file} has no pixel sizes`);
    }
    const page = await (await suite.context()).newPage();
    await startSignIn(page, suite);
    const sizes = () => page.evaluate(() => [document.body, document.querySelector('h1')!].map((e) => parseFloat(getComputedStyle(e).fontSize)));
    const [body16, h116] = await sizes();
    // a person who set 20px as the browser's font size
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '20px';
    });
    const [body20, h120] = await sizes();
    assert.equal(body20! / body16!, 1.25);
    assert.equal(h120! / h116!, 1.25);
    await page.context().close();
  });
});
