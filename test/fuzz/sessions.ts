/**
 * Live sessions for the fuzzer, so malformed input reaches the checks behind the session: an
 * open sign-in (interaction id, its cookies, its CSRF token), a signed-in account page, a
 * signed-in counter console, and an access token of the city app for the method API and /me.
 */
import assert from 'node:assert/strict';
import type { Stack } from '../support/stack.ts';
import { addClient, addKiosk, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { seedCentres, staffConsole } from '../counter/support.ts';
import { appSession } from '../providers/app-scan/city-app.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

export interface Sessions {
  client: TestClient;
  clientAuth: string;
  /** an open sign-in: its id, its cookies for a path, its CSRF token */
  interaction: { uid: string; cookie: (path: string) => string; csrf: string };
  /** a second open sign-in, for the routes that end one (abort, consent) */
  spare: { uid: string; cookie: (path: string) => string; csrf: string };
  account: { cookie: (path: string) => string; csrf: string };
  counter: { cookie: (path: string) => string; csrf: string };
  accessToken: string;
  kioskClientId: string;
}

/** The cookies a browser would send to `path` of the stack. */
function cookiesOf(browser: Browser): (path: string) => string {
  const host = new URL(browser.issuer).hostname;
  const jar = (browser.agent as unknown as { jar: { getCookies(a: object): { toValueString(): string } } }).jar;
  return (path) => jar.getCookies({ domain: host, path, secure: false, script: false }).toValueString();
}

function csrfOn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1]!;
}

async function openInteraction(stack: Stack, client: TestClient) {
  const browser = new Browser(stack.issuer);
  const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
  assert.equal(chooser.status, 200, chooser.text.slice(0, 300));
  const uid = /^\/interaction\/([^/?]+)$/.exec(chooser.path)?.[1];
  assert.ok(uid, `an interaction page, not ${chooser.path}`);
  const form = await browser.open(`/interaction/${uid}/method/id-card-password`);
  return { uid, cookie: cookiesOf(browser), csrf: csrfOn(form.text) };
}

export async function openSessions(stack: Stack): Promise<Sessions> {
  const password = 'Lantern2026river';
  await seedCentres(stack);
  const client = await addClient(stack, 'fuzz-dept', { tongban_first_party: true });
  const kioskClientId = 'fuzz-kiosk';
  await addKiosk(stack, kioskClientId);
  await enrolCitizen(stack, 'li-na', password);

  const accountBrowser = new Browser(stack.issuer);
  const signedIn = await passwordLogin(accountBrowser, (await accountBrowser.open('/account')).text, citizen('li-na').idNumber, password);
  assert.equal(signedIn.status, 200, signedIn.text.slice(0, 300));
  assert.match(signedIn.text, /我的账号/);

  const staff = await staffConsole(stack, 'yang-lei');

  return {
    client,
    clientAuth: basic(client),
    interaction: await openInteraction(stack, client),
    spare: await openInteraction(stack, client),
    account: { cookie: cookiesOf(accountBrowser), csrf: csrfOn(signedIn.text) },
    counter: { cookie: cookiesOf(staff.browser), csrf: csrfOn(staff.page.text) },
    accessToken: await appSession(stack, citizen('li-na'), password),
    kioskClientId,
  };
}
