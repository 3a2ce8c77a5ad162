/**
 * axe-core (WCAG 2.1 A/AA) on every citizen page state we can reach, in both languages.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, startBrowserSuite, startSignIn, type BrowserSuite } from './support/suite.ts';

let suite: BrowserSuite;
let page: Page;

before(async () => {
  suite = await startBrowserSuite();
  page = await (await suite.context()).newPage();
});
after(async () => {
  await suite?.close();
});

test('the method chooser has no WCAG 2.1 AA violation', { timeout: 120_000 }, async () => {
  await startSignIn(page, suite);
  await assertAccessible(page, 'chooser zh-CN');
});

test('the checker itself reports a field without a label', { timeout: 60_000 }, async () => {
  const probe = await (await suite.context()).newPage();
  await probe.setContent('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>');
  await assert.rejects(assertAccessible(probe, 'probe'), /label/);
  await probe.close();
});
