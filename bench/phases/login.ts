/**
 * Logins through our real pages, one fresh browser (cookie jar) per login: authorization
 * request with PKCE → chooser → method page → the method's form POSTs → redirect with the
 * code → code exchange at /token → an ID token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, open, type Page } from '../browser-client.ts';
import { json, request } from '../http-request.ts';
import { Phase } from '../load.ts';
import { METHOD, PASSWORD, type BenchClient } from '../service.ts';
import { basicAuth } from './token-endpoint.ts';
import type { PhaseTiming } from './timing.ts';

export interface Flow {
  jar: CookieJar;
  issuer: string;
  client: BenchClient;
  /** /interaction/<uid>/method/<method> */
  action: string;
  /** the method's first page */
  page: Page;
  verifier: string;
  state: string;
}

/** Authorization request, chooser, and the method's page. */
export async function startFlow(issuer: string, client: BenchClient, method: string): Promise<Flow> {
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
  const action = `${issuer}/interaction/${uid}/method/${method}`;
  const page = await open(jar, issuer, action);
  if (page.status !== 200) throw new Error(`method page: ${page.status}`);
  return { jar, issuer, client, action, page, verifier, state };
}

/** POSTs the method's form on `page` with its hidden fields and `fields`; follows redirects on our origin. */
export async function submit(flow: Flow, page: Page, fields: Record<string, string>): Promise<Page> {
  const path = new URL(flow.action).pathname;
  const html = [...page.text.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => f[1]!.endsWith(path))?.[2];
  if (html === undefined) throw new Error(`no form posting to ${path} on the page (${page.status})`);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) form.set(m[1]!, m[2]!);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const posted = await flow.jar.request(flow.action, { method: 'POST', form });
  return open(flow.jar, flow.issuer, flow.action, posted);
}

/** The redirect back to the client carries a code: exchange it for an ID token. */
export async function finishFlow(flow: Flow, back: Page): Promise<void> {
  if (!back.leftTo) throw new Error(`login form: ${back.status} ${back.text.slice(0, 120)}`);
  const cb = new URL(back.leftTo);
  const code = cb.searchParams.get('code');
  if (!code || cb.searchParams.get('state') !== flow.state) throw new Error(`callback without code: ${cb.search.slice(0, 160)}`);
  const { client } = flow;
  const res = await request(`${flow.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(client.clientId, client.secret) },
    form: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: flow.verifier }),
  });
  const tokens = json<{ id_token?: string; error?: string }>(res, 'token');
  if (res.status !== 200 || typeof tokens.id_token !== 'string' || tokens.id_token.split('.').length !== 3) {
    throw new Error(`token: ${res.status} ${tokens.error ?? 'no id_token'}`);
  }
}

export async function loginOnce(issuer: string, client: BenchClient, idNumber: string): Promise<void> {
  const flow = await startFlow(issuer, client, METHOD);
  await finishFlow(flow, await submit(flow, flow.page, { id_number: idNumber, password: PASSWORD }));
}

export function loginPhase(
  t: PhaseTiming,
  issuer: string,
  client: BenchClient,
  /** the n-th login's person: spread so that no one ID sees more than a few logins a second */
  personFor: (n: number) => string,
  name = 'password login (full flow)',
  externalCpu?: () => number,
): Phase {
  return new Phase(name, { ...t, externalCpu, task: (n) => loginOnce(issuer, client, personFor(n)) });
}
