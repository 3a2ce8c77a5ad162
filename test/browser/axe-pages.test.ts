/**
 * axe-core (WCAG 2.1 A and AA) on every citizen page state in the table (support/page-states.ts):
 * in Chinese, in English, and in elder mode. One walk per setting, one browser for the file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, startBrowserSuite, type BrowserSuite } from './support/suite.ts';
import { citizenStates, prepareCitizen, type Walk } from './support/page-states.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { scrollsSideways } from './support/measure.ts';

// both languages and both modes, in two walks (elder.test.ts walks elder mode in Chinese):
// 640x360 CSS pixels is a 1280x720 window at 200 % zoom; 360x640 a small phone
const SETTINGS = [
  { label: 'zh-CN at 200 % zoom', lang: 'zh-CN', elder: false, who: 'zhang-wei', viewport: { width: 640, height: 360 } },
  { label: 'en, elder mode, 360px screen', lang: 'en', elder: true, who: 'chen-jing', viewport: { width: 360, height: 640 } },
] as const;

let suite: BrowserSuite;

before(async () => {
  suite = await startBrowserSuite();
  for (const s of SETTINGS) await prepareCitizen(suite.stack, s.who);
});
after(async () => {
  await suite?.close();
});

for (const setting of SETTINGS) {
  describe(`every citizen page, ${setting.label}`, () => {
    let page: Page;
    before(async () => {
      const context = await suite.context({ locale: setting.lang, viewport: setting.viewport });
      await context.addCookies([
        { name: 'tongban_lang', value: setting.lang, url: suite.stack.issuer },
        { name: 'tongban_elder', value: setting.elder ? '1' : '0', url: suite.stack.issuer },
      ]);
      page = await context.newPage();
    });
    after(async () => {
      await page?.context().close();
    });

    it('has no WCAG 2.1 AA violation and no sideways scrolling in any state', { timeout: 240_000 }, async () => {
      const walk: Walk = { suite, page, who: setting.who };
      const failures: string[] = [];
      let checked = 0;
      for (const state of citizenStates([...suite.stack.ctx.methods.keys()])) {
        let reached: boolean | void;
        try {
          reached = await state.reach(walk);
        } catch (err) {
          // the states after it build on this one: report what was found so far, and why the walk stopped
          failures.push(`could not reach "${state.name}" (at ${page.url()}): ${(err as Error).message.split('\n')[0]}`);
          break;
        }
        if (reached === false) continue;
        assert.equal(await page.locator('html').getAttribute('lang'), setting.lang, `${state.name}: the page language`);
        assert.equal(await page.locator('body.elder').count(), setting.elder ? 1 : 0, `${state.name}: elder mode as chosen`);
        const v = await axeViolations(page);
        if (v.length) failures.push(describeViolations(`${state.name} (${page.url()})`, v));
        const wide = await scrollsSideways(page);
        if (wide) failures.push(`${state.name} (${page.url()}): scrolls sideways at ${setting.viewport.width}px (${wide.scrollWidth} > ${wide.clientWidth})`);
        checked++;
      }
      assert.deepEqual(failures, [], failures.join('\n\n'));
      assert.ok(checked >= 20, `${checked} page states checked`);
    });
  });
}

it('the checker itself reports a field without a label', { timeout: 60_000 }, async () => {
  const probe = await (await suite.context()).newPage();
  await probe.setContent('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>');
  await assert.rejects(assertAccessible(probe, 'probe'), /label/);
  await probe.context().close();
});
