/**
 * Password logins through our real pages, one fresh browser (cookie jar) per login:
 * authorization request with PKCE → chooser → method page → form POST → redirect with the
 * code → code exchange at /token → an ID token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, open } from '../browser-client.ts';
import { json, request } from '../http-request.ts';
import { Phase } from '../load.ts';
import { METHOD, PASSWORD, type BenchClient } from '../service.ts';
import { basicAuth } from './token-endpoint.ts';
import type { PhaseTiming } from './timing.ts';

function hidden(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden ${name} field on the page`);
  return m[1]!;
}

export async function loginOnce(issuer: string, client: BenchClient, idNumber: string): Promise<void> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state,
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });

  const chooser = await open(jar, issuer, `/auth?${query}`);
  const uid = /^\/interaction\/([^/?]+)$/.exec(new URL(chooser.url).pathname)?.[1];
  if (chooser.status !== 200 || !uid) throw new Error(`chooser: ${chooser.status} at ${chooser.url}`);

  const methodPage = await open(jar, issuer, `/interaction/${uid}/method/${METHOD}`);
  if (methodPage.status !== 200) throw new Error(`method page: ${methodPage.status}`);
  const body = new URLSearchParams({
    csrf: hidden(methodPage.text, 'csrf'),
    step: hidden(methodPage.text, 'step'),
    id_number: idNumber,
    password: PASSWORD,
  });
  const action = `${issuer}/interaction/${uid}/method/${METHOD}`;
  const posted = await jar.request(action, { method: 'POST', form: body });
  const back = await open(jar, issuer, action, posted);
  if (!back.leftTo) throw new Error(`login form: ${back.status} ${back.text.slice(0, 120)}`);
  const cb = new URL(back.leftTo);
  const code = cb.searchParams.get('code');
  if (!code || cb.searchParams.get('state') !== state) throw new Error(`callback without code: ${cb.search.slice(0, 160)}`);

  const res = await request(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(client.clientId, client.secret) },
    form: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  const tokens = json<{ id_token?: string; error?: string }>(res, 'token');
  if (res.status !== 200 || typeof tokens.id_token !== 'string' || tokens.id_token.split('.').length !== 3) {
    throw new Error(`token: ${res.status} ${tokens.error ?? 'no id_token'}`);
  }
}

export function loginPhase(
  t: PhaseTiming,
  issuer: string,
  client: BenchClient,
  idNumbers: readonly string[],
  name = 'password login (full flow)',
  externalCpu?: () => number,
): Phase {
  // round-robin over the persons, so no one ID sees more than a few logins a second
  return new Phase(name, { ...t, externalCpu, task: (n) => loginOnce(issuer, client, idNumbers[n % idNumbers.length]!) });
}
