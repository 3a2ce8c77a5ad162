/** Steps the live-policy tests share: save a changed policy on one instance, look at another's chooser and tokens. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { passwordLogin } from '../support/login.ts';
import { generateClientSecret } from '../../src/crypto/client-secret.ts';
import type { Stack } from '../support/stack.ts';
import type { PolicyDocument } from '../../src/policy/index.ts';

export interface Dept {
  clientId: string;
  secret: string;
  redirectUri: string;
}

/** A department app whose redirect is never followed: the code is read from the redirect itself. */
export async function registerDept(stack: Stack, clientId: string): Promise<Dept> {
  const dept = { clientId, secret: generateClientSecret(), redirectUri: 'http://127.0.0.1:9/callback' };
  await stack.ctx.register(
    { client_id: clientId, client_name: clientId, client_secret: dept.secret, redirect_uris: [dept.redirectUri], scope: 'openid profile', tongban_first_party: true },
    'test',
  );
  return dept;
}

/** Saves `change(current document)` as a new version through `stack`, in an audited transaction; announces unless told not to. */
export async function savePolicy(stack: Stack, change: (doc: PolicyDocument) => void, opts: { announce?: boolean; reason?: string } = {}): Promise<number> {
  const doc = structuredClone(stack.ctx.policy.current().document);
  change(doc);
  const version = await stack.ctx.audit.transaction((tx) => stack.ctx.policy.save(tx, doc, { actorId: 'person:test-admin', roles: ['policy_admin'], reason: opts.reason ?? 'test' }));
  if (opts.announce !== false) await stack.ctx.policy.announce();
  return version;
}

/** A browser whose every request goes to `baseUrl` (one instance: the provider builds its own URLs from the request's host). */
export function browserAt(baseUrl: string): Browser {
  return new Browser(baseUrl);
}

/** The methods the chooser at `baseUrl` offers to `dept` on a fresh authorization request. */
export async function chooserOffers(baseUrl: string, dept: Dept): Promise<string[]> {
  const page = await browserAt(baseUrl).open(authUrl(dept.clientId, dept.redirectUri).url);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  return [...page.text.matchAll(/href="\/interaction\/[^"]+\/method\/([a-z-]+)"/g)].map((m) => m[1]!);
}

/** Polls until `ok()`; the milliseconds it took (fails after `limitMs`). */
export async function within(limitMs: number, what: string, ok: () => Promise<boolean> | boolean): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (await ok()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: not within ${limitMs} ms`);
}

/** A password sign-in served entirely by the instance at `baseUrl`; the ID token's claims. */
export async function passwordIdToken(baseUrl: string, dept: Dept, idNumber: string, password: string): Promise<Record<string, unknown>> {
  const b = browserAt(baseUrl);
  const r = authUrl(dept.clientId, dept.redirectUri);
  const done = await passwordLogin(b, (await b.open(r.url)).text, idNumber, password);
  const token = await request(baseUrl)
    .post('/token')
    .set('Authorization', `Basic ${Buffer.from(`${encodeURIComponent(dept.clientId)}:${encodeURIComponent(dept.secret)}`).toString('base64')}`)
    .type('form')
    .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: dept.redirectUri, code_verifier: r.verifier });
  assert.equal(token.status, 200, token.text);
  return decodeJwt(token.body.id_token as string);
}
