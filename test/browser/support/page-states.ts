/**
 * Every citizen page state the browser tests visit, as one table: each row reaches its state
 * from where the previous rows left the page (one sign-in walk per language and mode). Add a
 * row here for a new page and the accessibility and reflow checks cover it.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Stack } from '../../support/stack.ts';
import { enrolCitizen } from '../../support/login.ts';
import { authUrl } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { startSignIn, type BrowserSuite } from './suite.ts';

export interface Walk {
  suite: BrowserSuite;
  page: Page;
  /** the citizen this walk signs in as (enrolled with PASSWORD) */
  who: string;
  /** the interaction of the current sign-in */
  uid?: string;
}

export interface PageState {
  name: string;
  /** brings the page to the state; returns false when this setup has no such page (e.g. a method that is off) */
  reach(w: Walk): Promise<boolean | void>;
}

export const PASSWORD = 'Elder-friendly-2021';

export async function prepareCitizen(stack: Stack, key: string): Promise<void> {
  await enrolCitizen(stack, key, PASSWORD);
}

const ours = (w: Walk) => new URL(w.page.url()).origin === w.suite.stack.issuer;

async function go(w: Walk, path: string): Promise<void> {
  await w.page.goto(`${w.suite.stack.issuer}${path}`);
}

async function startInteraction(w: Walk): Promise<void> {
  await startSignIn(w.page, w.suite);
  w.uid = new URL(w.page.url()).pathname.split('/')[2];
  assert.ok(w.uid, 'an interaction id');
}

/** A method's first page, and, when it is a form, its error state (submitted empty). */
function methodStates(id: string): PageState[] {
  return [
    {
      name: `${id}: first page`,
      async reach(w) {
        await go(w, `/interaction/${w.uid}/method/${id}`);
        return ours(w); // a method that sends the person to its authority's own site has no page of ours here
      },
    },
    {
      name: `${id}: error state`,
      async reach(w) {
        if (!ours(w)) return false;
        const submit = w.page.locator('main form:has(input[name="step"]) button[type="submit"]').first();
        if ((await submit.count()) === 0) return false;
        await Promise.all([w.page.waitForLoadState('load'), submit.click()]);
        await w.page.waitForSelector('#problem');
        return true;
      },
    },
  ];
}

/** Submits the main form whose action is `action`, waiting for the page it answers with. */
async function submitForm(w: Walk, action: string): Promise<void> {
  await Promise.all([w.page.waitForLoadState('load'), w.page.locator(`main form[action="${action}"] button[type="submit"]`).click()]);
}

/** The forgotten-password help (linked from the password form) and its reset by text message. */
const passwordResetStates: PageState[] = [
  {
    name: 'forgotten-password help',
    async reach(w) {
      await go(w, `/help/password?back=${encodeURIComponent(`/interaction/${w.uid}`)}`);
      return (await w.page.locator('form[action="/help/password/reset"]').count()) > 0;
    },
  },
  {
    name: 'password reset: error state',
    async reach(w) {
      if ((await w.page.locator('#reset-id').count()) === 0) return false;
      await w.page.fill('#reset-id', '12345');
      await submitForm(w, '/help/password/reset');
      await w.page.waitForSelector('#problem');
    },
  },
  {
    name: 'password reset: code and new password',
    async reach(w) {
      if ((await w.page.locator('#reset-id').count()) === 0) return false;
      await w.page.fill('#reset-id', citizen(w.who).idNumber);
      await submitForm(w, '/help/password/reset');
      await w.page.waitForSelector('form[action="/help/password/new"]');
    },
  },
  {
    name: 'password reset: code page error state',
    async reach(w) {
      if ((await w.page.locator('#reset-code').count()) === 0) return false;
      await w.page.fill('#reset-code', '000000');
      await w.page.fill('#reset-password', 'Lantern2030path');
      await w.page.fill('#reset-repeat', 'Lantern2030pathx');
      await submitForm(w, '/help/password/new');
      await w.page.waitForSelector('#problem');
    },
  },
];

export function citizenStates(methodIds: readonly string[]): PageState[] {
  return [
    { name: 'chooser', reach: startInteraction },
    {
      name: 'chooser, more ways open',
      async reach(w) {
        const more = w.page.locator('details.more');
        if ((await more.count()) === 0) return false;
        await more.locator('summary').click();
        return true;
      },
    },
    ...methodIds.flatMap(methodStates),
    ...(methodIds.includes('id-card-password') ? passwordResetStates : []),
    {
      name: 'registration form',
      async reach(w) {
        await go(w, `/interaction/${w.uid}`);
        const link = w.page.locator(`a[href^="/interaction/${w.uid}/enrol/"]`);
        if ((await link.count()) === 0) return false;
        await Promise.all([w.page.waitForURL(/\/enrol\//), link.first().click()]);
        return true;
      },
    },
    {
      name: 'consent',
      async reach(w) {
        await go(w, `/interaction/${w.uid}/method/id-card-password`);
        await w.page.fill('#id_number', citizen(w.who).idNumber);
        await w.page.fill('#password', PASSWORD);
        await Promise.all([w.page.waitForURL(/\/interaction\/[^/]+$/), w.page.locator('main form button[type="submit"]').first().click()]);
        assert.ok(await w.page.locator('form[action$="/consent"]').count(), `a consent page (at ${w.page.url()})`);
      },
    },
    {
      name: 'account',
      async reach(w) {
        await w.page.locator('form[action$="/consent"] button[value="allow"]').click();
        await w.page.waitForURL((u) => u.origin === w.suite.client.url);
        await go(w, '/account');
        // the account centre is a sign-in of its own; the session is already there, but it may ask consent
        const allow = w.page.locator('form[action$="/consent"] button[value="allow"]');
        if (await allow.count()) await Promise.all([w.page.waitForURL(/\/account/), allow.click()]);
        assert.match(new URL(w.page.url()).pathname, /^\/account/, `the account page (at ${w.page.url()})`);
      },
    },
    {
      name: 'error page (unknown interaction)',
      async reach(w) {
        await go(w, '/interaction/no-such-interaction');
      },
    },
    {
      name: 'error page (protocol error)',
      async reach(w) {
        await go(w, '/auth?client_id=no-such-app&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fexample.org%2Fcb');
      },
    },
    {
      name: 'sign-out confirmation',
      async reach(w) {
        await go(w, '/session/end');
        assert.ok(await w.page.locator('main form').count(), 'a sign-out form');
      },
    },
    {
      name: 'signed out',
      async reach(w) {
        await Promise.all([w.page.waitForURL(/\/session\/end\/success/), w.page.locator('main button[value="yes"]').click()]);
      },
    },
    {
      name: 'kiosk device page',
      async reach(w) {
        await go(w, '/device');
      },
    },
    {
      name: 'kiosk chooser (touch display)',
      async reach(w) {
        const req = authUrl(w.suite.client.clientId, `${w.suite.client.url}/callback`, { display: 'touch' });
        await go(w, req.url);
        assert.match(new URL(w.page.url()).pathname, /^\/interaction\//);
        assert.ok(await w.page.locator('body.kiosk').count(), 'the kiosk layout');
      },
    },
    {
      name: 'kiosk form (touch display)',
      async reach(w) {
        const first = w.page.locator('ul.methods a').first();
        await Promise.all([w.page.waitForURL(/\/method\//), first.click()]);
      },
    },
    {
      name: 'counter console entry',
      async reach(w) {
        await go(w, '/counter');
        return ours(w);
      },
    },
  ];
}
