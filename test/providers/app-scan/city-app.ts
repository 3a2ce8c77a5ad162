/** Plays the city app in tests: a real code flow with PKCE as the public client, then the method API. */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Stack } from '../../support/stack.ts';
import { authUrl, Browser, codeFrom } from '../../support/browser.ts';
import { passwordLogin } from '../../support/login.ts';
import type { Citizen } from '../../../src/sandbox/citizens.ts';
import { CITY_APP_CLIENT_ID, cityAppClient } from '../../../providers/app-scan/sandbox.ts';

export async function registerCityApp(stack: Stack): Promise<void> {
  await stack.ctx.register(cityAppClient(stack.sandboxUrl), 'test');
}

/** Signs in to the city app as `who` (password) on a phone of its own; returns the access token. */
export async function appSession(stack: Stack, who: Citizen, password: string): Promise<string> {
  await registerCityApp(stack);
  const redirectUri = cityAppClient(stack.sandboxUrl).redirect_uris[0];
  const phone = new Browser(stack.issuer);
  const r = authUrl(CITY_APP_CLIENT_ID, redirectUri, { scope: 'openid' });
  let done = await passwordLogin(phone, (await phone.open(r.url)).text, who.idNumber, password);
  // oidc-provider asks every native client for an explicit confirmation, first-party or not
  if (!done.location && /\/consent"/.test(done.text)) done = await phone.submit(done.text, /\/consent$/, { decision: 'allow' });
  const token = await request(stack.issuer)
    .post('/token')
    .type('form')
    .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: redirectUri, client_id: CITY_APP_CLIENT_ID, code_verifier: r.verifier });
  assert.equal(token.status, 200, token.text);
  return token.body.access_token as string;
}

/** The QR payload as the page shows it outside production (under the QR, for the simulator). */
export function payloadOn(html: string): string {
  const m = /tongban:\/\/scan\?t=[A-Za-z0-9_-]{43}&amp;iss=[^\s)<]+/.exec(html);
  assert.ok(m, 'the page shows a QR payload');
  return m[0].replace(/&amp;/g, '&');
}

export function tokenOn(html: string): string {
  return new URL(payloadOn(html)).searchParams.get('t')!;
}

/** The waiting page's "continue" link (what its meta refresh polls). */
export function pollLink(html: string): string {
  const m = /href="(\/interaction\/[^"]+\/method\/app-scan\?step=poll)"/.exec(html);
  assert.ok(m, 'the page polls');
  return m[1]!;
}

export function callApi(stack: Stack, name: 'approve' | 'reject', accessToken: string, body: unknown) {
  return request(stack.issuer).post(`/api/methods/app-scan/${name}`).set('Authorization', `Bearer ${accessToken}`).send(body as object);
}
